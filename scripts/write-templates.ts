// Rewrites templates/billing.yaml and templates/resource.yaml from the CloudZero platform profile, for people who
// read or deploy the templates by hand. orgconnect itself generates them at run time; a unit test fails when the
// published files and the generated text differ. Run: npm run templates
import { writeFileSync } from 'node:fs';
import { loadTemplates, publishedTemplatePath, TEMPLATE_KINDS } from '../main/core/onboarding/templates.js';

const templates = loadTemplates();
for (const kind of TEMPLATE_KINDS) {
  writeFileSync(publishedTemplatePath(kind), templates[kind].body);
  console.log(`wrote ${publishedTemplatePath(kind)} (sha256 ${templates[kind].sha256})`);
}

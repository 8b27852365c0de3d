import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyMode, Density, applyDensity, Mode } from '@cloudscape-design/global-styles';
import '@cloudscape-design/global-styles/index.css';
import './app.css';
import { App } from './app.js';

// Light or dark as the operating system says, and again whenever it changes (Cloudscape's visual modes).
const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
const followScheme = () => applyMode(darkScheme.matches ? Mode.Dark : Mode.Light);
followScheme();
darkScheme.addEventListener('change', followScheme);
// The console's dense tables: more rows on a laptop screen.
applyDensity(Density.Compact);

const container = document.getElementById('root');
if (container === null) throw new Error('index.html lacks #root');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

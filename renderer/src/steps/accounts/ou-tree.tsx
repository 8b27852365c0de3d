import { useMemo, useState } from 'react';
import Button from '@cloudscape-design/components/button';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import TreeView from '@cloudscape-design/components/tree-view';
import { dismissFlashesWithCode, update } from '../../store/wizard-store.js';
import type { Snapshot } from '../../store/wizard-state.js';
import { buildOuTree, type OuNode } from './ou-tree-model.js';

/** The Organization's OU tree; "Select" takes an OU's active accounts and those of every OU below it. */
export function OuTree({ snapshot, chosen }: { snapshot: Snapshot; chosen: ReadonlySet<string> }) {
  const roots = useMemo(() => buildOuTree(snapshot), [snapshot]);
  const [expanded, setExpanded] = useState<string[]>(() => roots.map((root) => root.id));

  const toggleSelection = (node: OuNode, allChosen: boolean) => {
    update((s) => {
      if (allChosen) {
        const leaving = new Set(node.activeAccountIds);
        return { ...s, selected: s.selected.filter((id) => !leaving.has(id)) };
      }
      return { ...s, selected: [...new Set([...s.selected, ...node.activeAccountIds])] };
    });
    if (!allChosen) dismissFlashesWithCode('NOTHING_SELECTED');
  };

  return (
    <ExpandableSection variant="container" headerText="Organizational units" defaultExpanded>
      <TreeView<OuNode>
        ariaLabel="Organizational units"
        connectorLines="vertical"
        items={roots}
        getItemId={(node) => node.id}
        getItemChildren={(node) => (node.children.length > 0 ? node.children : undefined)}
        expandedItems={expanded}
        onItemToggle={({ detail }) =>
          setExpanded((ids) => (detail.expanded ? [...ids, detail.id] : ids.filter((id) => id !== detail.id)))
        }
        i18nStrings={{
          expandButtonLabel: (node) => `Expand ${node.path}`,
          collapseButtonLabel: (node) => `Collapse ${node.path}`,
        }}
        renderItem={(node) => {
          const active = node.activeAccountIds.length;
          const selected = node.activeAccountIds.filter((id) => chosen.has(id)).length;
          const allChosen = active > 0 && selected === active;
          return {
            content: node.name,
            announcementLabel: node.path,
            secondaryContent: `${selected} of ${active} active account${active === 1 ? '' : 's'} selected${
              node.accountCount > active ? ` · ${node.accountCount - active} not active` : ''
            }`,
            actions:
              active === 0 ? undefined : (
                <Button
                  variant="inline-link"
                  ariaLabel={`${allChosen ? 'Deselect' : 'Select'} the accounts of ${node.path}`}
                  onClick={() => toggleSelection(node, allChosen)}
                >
                  {allChosen ? 'Deselect' : 'Select'}
                </Button>
              ),
          };
        }}
      />
    </ExpandableSection>
  );
}

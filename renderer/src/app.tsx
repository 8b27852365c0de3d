import AppLayout from '@cloudscape-design/components/app-layout';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';

/** The app shell; the wizard steps (Connect, Settings, Accounts, Review, Deploy, Health) mount here. */
export function App() {
  return (
    <AppLayout
      navigationHide
      toolsHide
      content={<ContentLayout header={<Header variant="h1">orgconnect</Header>} />}
    />
  );
}

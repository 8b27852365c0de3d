/**
 * The Organization over time, from its daily series: connections by health (stacked areas) and the share of
 * active accounts connected. Cloudscape's own charts, so they follow the theme and are keyboard-navigable.
 */
import AreaChart from '@cloudscape-design/components/area-chart';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import LineChart from '@cloudscape-design/components/line-chart';
import type { CoveragePoint } from '../../../../preload/contract.js';

/** Cloudscape's chart status palette (light mode), so healthy reads green and unhealthy red. */
const COLORS = {
  healthy: '#67a353',
  degraded: '#f2b60b',
  unhealthy: '#ba2e0f',
  unknown: '#7d8998',
  share: '#3184c2',
} as const;

const HEALTH_SERIES = [
  { key: 'healthy', title: 'Healthy' },
  { key: 'degraded', title: 'Degraded' },
  { key: 'unhealthy', title: 'Unhealthy' },
  { key: 'unknown', title: 'Unknown' },
] as const;

/** Noon UTC of the day, so a point sits mid-day in every time zone's axis. */
const dayDate = (day: string) => new Date(`${day}T12:00:00Z`);
const dayLabel = (date: Date) => date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
const percent = (value: number) => `${Math.round(value * 100)}%`;

export function HealthHistoryChart({ series }: { series: readonly CoveragePoint[] }) {
  const points = series.slice(-90);
  const first = points[0];
  const last = points.at(-1);
  const xDomain = first && last ? [dayDate(first.day), dayDate(last.day)] : undefined;
  const empty = (
    <Box textAlign="center" color="inherit">
      <b>No history yet</b>
      <Box variant="p" color="inherit">
        Each day&apos;s last round of checks adds a point.
      </Box>
    </Box>
  );
  // From zero, so a dip reads as the share of the connections it is.
  const mostConnections = Math.max(1, ...points.map((p) => p.healthy + p.degraded + p.unhealthy + p.unknown));
  const common = {
    xScaleType: 'time' as const,
    height: 160,
    hideFilter: true,
    empty,
    ...(xDomain && points.length > 1 ? { xDomain } : {}),
    i18nStrings: { xTickFormatter: dayLabel },
  };
  return (
    <Container
      header={
        <Header variant="h2" description="One point per day: the day's last round of checks (up to 90 days).">
          History
        </Header>
      }
    >
      <ColumnLayout columns={2} variant="text-grid">
        <AreaChart
          {...common}
          ariaLabel="Connections by health, per day"
          xTitle="Day"
          yTitle="Connections"
          yDomain={[0, mostConnections]}
          series={HEALTH_SERIES.map(({ key, title }) => ({
            title,
            type: 'area' as const,
            color: COLORS[key],
            data: points.map((p) => ({ x: dayDate(p.day), y: p[key] })),
          }))}
        />
        <LineChart
          {...common}
          ariaLabel="Share of active accounts connected, per day"
          xTitle="Day"
          yTitle="Accounts connected"
          yDomain={[0, 1]}
          i18nStrings={{ xTickFormatter: dayLabel, yTickFormatter: percent }}
          series={[
            {
              title: 'Share connected',
              type: 'line' as const,
              color: COLORS.share,
              valueFormatter: percent,
              data: points
                .filter((p): p is CoveragePoint & { share: number } => p.share !== null)
                .map((p) => ({ x: dayDate(p.day), y: p.share })),
            },
          ]}
        />
      </ColumnLayout>
    </Container>
  );
}

import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { truncate } from '../layout.js';

export interface HeaderProps {
  readonly title: string;
  readonly sites: readonly string[];
  /** Already worded by describeChange. */
  readonly change: string;
  /** Already worded by describeVantage: `probing…` until the report names it. */
  readonly vantage: string;
  readonly width: number;
}

export function Header({ title, sites, change, vantage, width }: HeaderProps) {
  const theme = useTheme();
  const siteText = sites.length > 0 ? sites.join(', ') : 'ad hoc';
  return (
    <Box flexDirection="column">
      <Text bold color={theme.accent}>
        {truncate(`portflight · ${title}`, width)}
      </Text>
      <Text>{truncate(`sites: ${siteText} · change: ${change}`, width)}</Text>
      <Text>{truncate(`vantage: ${vantage}`, width)}</Text>
    </Box>
  );
}

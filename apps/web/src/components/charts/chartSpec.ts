/** What chart callers need without loading Recharts: colours, scales and the props of <Chart>. */

export const PALETTE = ['#4f46e5', '#0d9488', '#f59e0b', '#e11d48', '#0284c7', '#7c3aed', '#65a30d', '#64748b', '#db2777'];

export type Fmt = (value: number) => string;

/** Fractions 0..1 on a fixed 0-100% axis. */
export const RATE_SCALE = { domain: [0, 1] as [number, number], ticks: [0, 0.25, 0.5, 0.75, 1] };
/** A 1-5 score on its full scale. */
export const SCORE5_SCALE = { domain: [1, 5] as [number, number], ticks: [1, 2, 3, 4, 5] };
export type StringKey<T> = Extract<keyof T, string>;

export interface ChartSeries<T> {
  key: StringKey<T>;
  label: string;
  color: string;
  type?: 'line' | 'bar';
  axis?: 'left' | 'right';
  /** Hidden until switched on in the legend. */
  hidden?: boolean;
  stackId?: string;
}

interface BaseProps<T> {
  title: string;
  description?: string;
  data: T[];
  /** Label of one datum (category or formatted date), used by tooltips and the data table. */
  rowLabel: (datum: T) => string;
  height?: number;
  /** Drill-down: called with the clicked datum (point, bar, slice or table row). */
  onSelect?: (datum: T) => void;
  /** Text of the data table's drill-down buttons, e.g. "Show inquiries". */
  selectLabel?: string;
}

/** Axis domain and ticks; a function gets the largest value plotted on that axis. */
export interface AxisScale {
  domain?: [number, number];
  ticks?: number[];
  tickFormat?: Fmt;
}
export type ScaleSpec = AxisScale | ((max: number) => AxisScale);

export interface CartesianChartProps<T> extends BaseProps<T> {
  kind: 'cartesian';
  xKey: StringKey<T>;
  series: ChartSeries<T>[];
  formatX?: (value: string) => string;
  formatLeft?: Fmt;
  formatRight?: Fmt;
  leftScale?: ScaleSpec;
  rightScale?: ScaleSpec;
  /** Horizontal bars: categories on the vertical axis. */
  horizontal?: boolean;
}

export interface PieChartProps<T> extends BaseProps<T> {
  kind: 'pie';
  valueKey: StringKey<T>;
  formatValue?: Fmt;
  /** Secondary text in the legend, e.g. the share. */
  legendDetail?: (datum: T) => string;
}

export type ChartProps<T> = CartesianChartProps<T> | PieChartProps<T>;

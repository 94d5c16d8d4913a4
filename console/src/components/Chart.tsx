// Charts load ECharts on demand: the sign-in page, the lists and the public pages never download
// the chart library, and the console's first load stays small.
import { lazy, Suspense } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

const EChart = lazy(() => import('./EChart.tsx'));

export function Chart(props: { option: EChartsCoreOption; height?: number; label: string }) {
  const height = props.height ?? 260;
  return (
    <Suspense fallback={<div className="chart-placeholder" style={{ height }} aria-busy="true" />}>
      <EChart {...props} height={height} />
    </Suspense>
  );
}

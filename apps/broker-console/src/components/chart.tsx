import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Colors,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { memo } from 'react';
import { Bar, Doughnut } from 'react-chartjs-2';
import type { ChartSeries } from '../lib/chart-data';

// Only the parts the console draws (keeps the bundle small).
ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend, Colors);

const BASE_OPTIONS = { responsive: true, maintainAspectRatio: false, animation: false } as const;

interface ChartPanelProps {
  readonly title: string;
  readonly series: ChartSeries;
  readonly kind?: 'bar' | 'doughnut';
  readonly testId: string;
  readonly stacked?: boolean;
}

/**
 * A chart and, under it, the same numbers as a table (screen readers, copy-paste, and the
 * browser tests read the figures from it).
 */
function ChartPanelView({ title, series, kind = 'bar', testId, stacked = false }: ChartPanelProps) {
  const data = { labels: series.labels, datasets: series.datasets.map((d) => ({ ...d })) };
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {series.labels.length === 0 ? (
        <p className="muted">Nothing to show yet.</p>
      ) : (
        <div className="chart-canvas">
          {kind === 'doughnut' ? (
            <Doughnut
              data={data}
              options={{ ...BASE_OPTIONS, plugins: { legend: { position: 'right' } } }}
            />
          ) : (
            <Bar
              data={data}
              options={{
                ...BASE_OPTIONS,
                plugins: { legend: { display: series.datasets.length > 1 } },
                scales: {
                  x: { stacked },
                  y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
                },
              }}
            />
          )}
        </div>
      )}
      <details>
        <summary>Data</summary>
        <table className="data" data-testid={`${testId}-data`}>
          <thead>
            <tr>
              <th>label</th>
              {series.datasets.map((d) => (
                <th key={d.label}>{d.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.labels.map((label, i) => (
              <tr key={`${label}-${i}`}>
                <td>{label}</td>
                {series.datasets.map((d) => (
                  <td key={d.label}>{d.data[i] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Redrawn only when the figures change (the page re-renders every second for its clocks). */
export const ChartPanel = memo(
  ChartPanelView,
  (before, after) => JSON.stringify(before) === JSON.stringify(after),
);

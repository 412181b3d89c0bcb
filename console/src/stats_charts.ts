// Chart.js with only what the statistics page draws (bar charts, their axes, legend and
// tooltips), in a chunk of its own loaded when that page opens (stats.tsx imports it). No
// animation; Chart.js sizes its canvas through the CSSOM (element.style), which the strict
// Content-Security-Policy allows, and adds no style sheet.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

// Dark enough on white for graphical objects (WCAG 1.4.11, 3:1); the tables carry the figures.
const COLOURS = ["#0b5394", "#b06000", "#6a1b9a", "#1b7f3b", "#a50e0e", "#00838f", "#5d4037", "#37474f"];

export interface Bars {
  labels: string[];
  series: { label: string; values: number[] }[];
  stacked: boolean;
  yTitle: string;
  rtl: boolean;
  locale: string;
}

// Draws `bars` on `canvas`; the returned function destroys the chart.
export function drawBars(canvas: HTMLCanvasElement, bars: Bars): () => void {
  const root = getComputedStyle(document.documentElement);
  Chart.defaults.font.family = root.fontFamily;
  Chart.defaults.color = root.color;
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: bars.labels,
      datasets: bars.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: COLOURS[i % COLOURS.length],
        maxBarThickness: 64,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: bars.locale,
      scales: {
        x: { stacked: bars.stacked, reverse: bars.rtl },
        y: {
          stacked: bars.stacked,
          beginAtZero: true,
          position: bars.rtl ? "right" : "left",
          title: { display: true, text: bars.yTitle },
        },
      },
      plugins: {
        legend: { rtl: bars.rtl, textDirection: bars.rtl ? "rtl" : "ltr" },
        tooltip: { rtl: bars.rtl, textDirection: bars.rtl ? "rtl" : "ltr" },
      },
    },
  });
  return () => chart.destroy();
}

import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';

/**
 * Chart.js is tree-shaken: only what Insights draws is registered (bars, doughnut, their scales,
 * legend and tooltip). Chart.js sizes its canvas through the CSSOM (`canvas.style.width = …`),
 * which the renderer's `style-src 'self'` allows; it injects no <style> element.
 */
Chart.register(BarController, BarElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Legend, Tooltip);

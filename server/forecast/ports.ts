// What other features may ask of the forecast: its accuracy over a period (the fourth
// KPI of metrics), the stock levels a platform connector reports, and the units sold the
// demo history plays. The only door into the forecast from another feature
// (.dependency-cruiser.cjs: features never import another's service).
export { recordSkuSales, setStockLevels, shopForecast } from './service.js';

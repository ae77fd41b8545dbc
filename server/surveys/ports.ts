// What other features may ask of surveys: every survey's tally (metrics' NPS), the shop's surveys (the console's install tags), a person's
// answers (`contactOf`: the customer's export), storing the demo history's answers
// (`putAnsweredSurvey`: metrics' seed) and asking
// for post-delivery answers when an order is fulfilled (connectors, signed orders). The only
// door into surveys from another feature (.dependency-cruiser.cjs: features never import
// another's service or read its collections).
export { requestPostDeliverySurveys, type Fulfilment, type SurveyRequest } from './fulfilment.js';
export { contactOf, listSurveys, listTallies, putAnsweredSurvey } from './service.js';

/**
 * igflow's public API: every name an app may import, listed one by one.
 */

// time
export type { Clock } from './time/clock.js';
export { systemClock } from './time/clock.js';
export { VirtualClock, type RunOptions } from './time/virtual-clock.js';
export { scaledClock } from './time/scaled-clock.js';

// graph
export { createGraphClient } from './graph/client.js';
export type { CallOptions, ContainerParams, ContainerStatus, GraphClient, MediaItem, PublishingLimit } from './graph/client.js';
export { DEFAULT_API_VERSION, InvalidGraphOptions, Login, defaultBaseUrl } from './graph/graph-options.js';
export type { AnswerInfo, GraphClientOptions, GraphSettingsInput } from './graph/graph-options.js';
export { ErrorClass, GraphStep, isRetryableClass } from './graph/error-class.js';
export { CatalogueEntry, defaultCatalogue } from './graph/catalogue.js';
export { createClassifier, subcodeFromStatus, type Classification, type Classifier, type ErrorFacts } from './graph/classify.js';
export { IgflowError, type ErrorJson } from './graph/igflow-error.js';
export { GraphError } from './graph/graph-error.js';
export { TransportError, type Reached, type TransportFailure } from './graph/transport-error.js';
export { parseUsage, type AppUsage, type BusinessUsage, type Usage } from './graph/usage.js';
export { defaultTimeouts, type Timeouts } from './graph/transport.js';

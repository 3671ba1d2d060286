/**
 * igflow's public API: every name an app may import, listed one by one.
 */

// time
export type { Clock } from './time/clock.js';
export { systemClock } from './time/clock.js';
export { VirtualClock, type RunOptions } from './time/virtual-clock.js';
export { scaledClock } from './time/scaled-clock.js';

// spec
export { limits } from './spec/limits.js';
export { HttpsUrl } from './spec/https-url.js';
export { Caption, countHashtags, countMentions } from './spec/caption.js';
export { Username } from './spec/username.js';
export { AltText, BrandedContentSponsorIds, Collaborators, IdempotencyKey, LocationId, PublishAt, ThumbOffsetMs, TrialParams } from './spec/fields.js';
export { ImageUserTag, ImageUserTags, ReelUserTag, ReelUserTags, StoryUserTag, StoryUserTags } from './spec/user-tags.js';
export { ImageSpec } from './spec/image-spec.js';
export { ReelSpec } from './spec/reel-spec.js';
export { StoriesSpec, StoryItem, StorySpec } from './spec/story-spec.js';
export { CarouselItem, CarouselSpec } from './spec/carousel-spec.js';
export { Login, postSpecSchema, specKinds, type PostSpec, type SpecKind } from './spec/post-spec.js';
export { formatPath, type SpecIssue } from './spec/issues.js';
export { InvalidPostSpec } from './spec/invalid-post-spec.js';
export { parsePostSpec, validatePostSpec, type ValidateOptions, type ValidationResult } from './spec/validate.js';
export { CarouselParentBase, GraphContainerParams, GraphUserTag, containerShape, type ContainerParams, type ContainerShape, type GraphParamName } from './spec/graph-container-params.js';
export { ContainerPlan, MediaKind, PlanEntry } from './spec/container-plan.js';
export { carouselParentParams, containerPlan } from './spec/graph-params.js';

// media checks
export { createMediaChecker, type MediaCheckResult, type MediaCheckSettings, type MediaChecker, type MediaWarning } from './media/check-media.js';
export { InvalidMedia } from './media/invalid-media.js';

// graph
export { createGraphClient } from './graph/client.js';
export type { CallOptions, ContainerStatus, GraphClient, MediaComment, MediaItem, PublishingLimit } from './graph/client.js';
export type { AccessToken, RefreshedToken, TokenNotice, TokenRefreshOptions } from './graph/token-keeper.js';
export { DEFAULT_API_VERSION, InvalidGraphOptions, defaultBaseUrl } from './graph/graph-options.js';
export type { AnswerInfo, GraphClientOptions, GraphSettingsInput } from './graph/graph-options.js';
export { ErrorClass, GraphStep, isRetryableClass } from './graph/error-class.js';
export { CatalogueEntry, defaultCatalogue } from './graph/catalogue.js';
export { createClassifier, subcodeFromStatus, type Classification, type Classifier, type ErrorFacts } from './graph/classify.js';
export { IgflowError, type ErrorJson } from './graph/igflow-error.js';
export { GraphError } from './graph/graph-error.js';
export { TransportError, type Reached, type TransportFailure } from './graph/transport-error.js';
export { parseUsage, type AppUsage, type BusinessUsage, type Usage } from './graph/usage.js';
export { defaultTimeouts, type Timeouts } from './graph/transport.js';

// machines and effects
export { containerMachine, createContainerMachine, defaultContainerLimits, type ContainerInput, type ContainerLimits, type ContainerOutput, type ContainerRef } from './machines/container-machine.js';
export { carouselMachine, createCarouselMachine, type CarouselInput } from './machines/carousel-machine.js';
export { createPostMachine, defaultPostLimits, postMachine, type PostInput, type PostLimits, type PostPlan } from './machines/post-machine.js';
export { createStoriesMachine, storiesMachine, type StoriesInput } from './machines/stories-machine.js';
export { COMMENT_ATTEMPTS, COMMENT_MAX_WAIT_MS, commentMachine, createCommentMachine, type CommentMachineInput, type CommentOutcome } from './machines/comment-machine.js';
export { CONTAINER_LIFETIME_MS, DEFAULT_PROCESSING_DEADLINE_MS, DEFAULT_UNIT_MS, defaultTiming, pollDelayMs, retryDelayMs, standardTiming, TRANSIENT_BUDGET_MS, type StandardTimingOptions, type Timing } from './machines/timing.js';
export { LiveStory, PostOutcome, type MachineOutcome } from './machines/outcome.js';
export { WaitReason, type CommentEmitted, type ContainerEmitted, type ContainerRole, type MachineEmitted, type StateEmitted, type WaitingEmitted } from './machines/progress.js';
export type { MediaMatch } from './machines/effect-contract.js';
export { toMermaid } from './machines/mermaid.js';
export { provideEffects, type ProvidedMachines } from './effects/provide-effects.js';
export { RateGate, type CallPriority } from './effects/rate-gate.js';
export { QuotaGate, type PublishEntry, type QuotaDecision } from './effects/quota-gate.js';
export type { EffectDeps, EffectKind } from './effects/effect-deps.js';

// polling
export { adaptiveTiming, learnedPlan, type AdaptiveTimingOptions } from './polling/adaptive-timing.js';
export { observedGraph, processingKindOf } from './polling/observed-graph.js';
export { PollHistory, PollHistorySnapshot, type FinishObservation, type LearnedTimes, type PollHistoryOptions, type ProcessingKind } from './polling/poll-history.js';

// persistence
export { ENVELOPE_VERSION, Lease, MachineKind, PostEnvelope, PostStatus, type NewPost, type PostChanges } from './adapters/envelope.js';
export { DamagedPostError, LeaseLostError, StaleWriteError, StoreError, type StoreErrorKind } from './adapters/store-errors.js';
export type {
  Claim,
  ClaimRequest,
  CreateResult,
  DeliveryClaim,
  DeliveryRequest,
  FollowOptions,
  LeaseRef,
  LedgerEntry,
  Listing,
  Outbox,
  OutboxEntry,
  PostQuery,
  PostRepository,
  PublishLedger,
  Store,
  StoreProblem,
  WorkQueue,
} from './adapters/store.js';
export { memoryStore } from './adapters/memory-store.js';
export { fileStore, type FileStoreOptions } from './adapters/file-store.js';
export { postgresStore, type PostgresStoreOptions } from './adapters/postgres/postgres-store.js';

// outcomes and webhooks
export { OutcomeError, PostOutcomeEvent, outcomeOfEntry } from './outcomes/outcome-event.js';
export { WEBHOOK_HEADERS, signWebhook, verifyWebhook, type WebhookToVerify } from './webhooks/webhook-signature.js';
export { WebhookOptions, retryDelayMs as webhookRetryDelayMs, type WebhookOptionsInput, type WebhookSettings } from './webhooks/webhook-options.js';
export { MissingSchemaError } from './adapters/postgres/schema-check.js';

// engine
export { createEngine, type Engine, type PostView } from './engine/engine.js';
export type { EngineOptions } from './engine/engine-options.js';
export type { EngineEvent, EngineEventType, EventError, WaitReason as EventWaitReason } from './engine/engine-events.js';
export type { PostHandle, PublishResult } from './engine/post-handle.js';
export { PostCancelled, PostFailed, PostInterrupted, PostUnavailable } from './engine/post-errors.js';
export { cancelPost, type CancelResult } from './manage/cancel.js';
export { tooLate, type TooLate } from './manage/too-late.js';
export { findPost } from './manage/find-post.js';
export { listPosts, type ListQuery } from './manage/list.js';
export { reschedulePost, type RescheduleResult } from './manage/reschedule.js';
export { IdempotencyConflict } from './engine/idempotency-conflict.js';
export { connectStatelyInspector, DEFAULT_INSPECTOR_URL, type StatelyInspector, type StatelyInspectorOptions } from './engine/stately-inspector.js';
export { inspectionSanitizer, sanitizeInspection, type InspectCallback, type InspectionSanitizer } from './engine/sanitize-inspection.js';

// the live view (igflow watch)
export { createWatchServer, type WatchServer, type WatchServerOptions } from './watch/watch-server.js';
export { WatchOptionsError } from './watch/watch-options.js';
export { postCard, type ChartMarks, type PartView, type PostCard, type WaitView } from './watch/post-card.js';
export type { FeedChange, HistoryEntry, WatchedPost } from './watch/post-feed.js';
export { machineChart } from './watch/machine-chart.js';

// simulator
export { DEFAULT_ACCOUNT, SimRecord, startSimulator, type Simulator, type SimulatorOptions, type ScenarioInput, type FaultRuleInput } from './sim/simulator.js';
export { expectedPost, judge, type ExpectedPost, type OracleOptions, type OracleViolation } from './sim/oracle.js';

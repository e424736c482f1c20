/**
 * API types used by every component, re-exported from the types generated from the
 * backend's OpenAPI document (`npm run gen:api` writes `schema.d.ts` from
 * `../api/openapi.json`; `npm run check:api` fails when it is stale). A backend change to
 * any of these shapes therefore fails `npm run typecheck` where the app relies on it.
 *
 * Components import API types only from this file; only `client.ts`, `endpoints.ts` and this
 * file import `schema.d.ts`. The few hand-written types at the end are UI-side only.
 */
import type { components, operations } from './schema';

type Schemas = components['schemas'];
type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/* ---------- vocabularies (DESIGN.md section 4), as the API declares them ---------- */

export type InquiryType = Schemas['InquiryCreate']['inquiryType'];
export type Channel = Schemas['ConversationCreate']['channel'];
export type OrderStatus = NonNullable<Schemas['InquiryOut']['orderStatus']>;
export type ShipmentStatus = Schemas['TrackingEventCreate']['status'];
export type DateRangeKey = NonNullable<QueryOf<'analytics-overview'>['date_range']>;
export type GroupBy = Schemas['InquiryTrends']['groupBy'];
export type ExportDataset = NonNullable<QueryOf<'analytics-export-csv'>['dataset']>;

/* ---------- auth & stores ---------- */

export type StoreMembership = Schemas['StoreMembershipOut'];
export type User = Schemas['UserOut'];
export type Me = Schemas['Me'];
export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
export type CurrentStore = Schemas['StoreOut'];
export type SignupRequest = Schemas['SignupRequest'];
export type InviteAccept = Schemas['InviteAccept'];
export type InviteCreate = Schemas['InviteCreate'];
export type InvitePreview = Schemas['InvitePreview'];
export type StoreRole = Schemas['RoleChange']['role'];
export type Team = Schemas['Team'];
export type TeamMember = Schemas['MemberOut'];
export type PendingInvite = Schemas['InviteOut'];
export type OutboxPage = Schemas['OutboxPage'];
export type AuditPage = Schemas['AuditPage'];
export type AuditEvent = Schemas['AuditEventOut'];
export type StoreUpdate = Schemas['StoreUpdate'];
export type TimezoneChange = Schemas['TimezoneChangeOut'];
export type BusinessHours = Schemas['BusinessHoursOut'];
export type BusinessHoursUpdate = Schemas['BusinessHoursUpdate'];
export type WeeklyHours = Schemas['WeeklyHours'];
export type ApiKey = Schemas['ApiKeyOut'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type WidgetSettings = Schemas['WidgetSettingsOut'];
export type SetupChecklist = Schemas['SetupChecklist'];
export type SetupStep = Schemas['SetupStep'];
export type SetupInstruction = Schemas['SetupInstruction'];

/* ---------- analytics ---------- */

export type AnalyticsRange = Schemas['RangeOut'];
export type MetricValue = Schemas['MetricValue'];
export type MetricDefinition = Schemas['MetricDefinition'];
export type Overview = Schemas['Overview'];
export type Breakdown = Schemas['ShareItem'];
export type InquirySeriesPoint = Schemas['InquirySeriesPoint'];
export type PeakHourCell = Schemas['PeakHourCell'];
export type InquiryTrends = Schemas['InquiryTrends'];
export type DurationStats = Schemas['DurationStats'];
export type CarrierPerformance = Schemas['CarrierRow'];
export type FulfillmentSeriesPoint = Schemas['FulfillmentSeriesPoint'];
export type FulfillmentMetrics = Schemas['FulfillmentMetrics'];
export type SatisfactionSeriesPoint = Schemas['SatisfactionSeriesPoint'];
export type SatisfactionDriver = Schemas['DriverRow'];
export type SatisfactionMetrics = Schemas['SatisfactionMetrics'];
export type RollingSatisfaction = Schemas['RollingSatisfaction'];
export type InquiryRow = Schemas['InquiryRow'];
export type InquiryPage = Schemas['InquiryPage'];
export type ShipmentRow = Schemas['ShipmentRow'];
export type ShipmentPage = Schemas['ShipmentPage'];
export type Insight = Schemas['Insight'];
export type AtRiskItem = Schemas['AtRiskItem'];
export type AtRiskList = Schemas['AtRiskList'];
export type Alert = Schemas['AlertOut'];

/* ---------- orders ---------- */

export type TimelineEvent = Schemas['TimelineEvent'];
export type TimelineEventType = TimelineEvent['type'];
export type TimelineEventStatus = TimelineEvent['status'];
export type OrderTimeline = Schemas['OrderTimeline'];

/* ---------- conversations (the assistant's chats, for agents) ---------- */

export type ConversationRow = Schemas['ConversationRow'];
export type ConversationPage = Schemas['ConversationPage'];
export type ConversationDetail = Schemas['ConversationDetail'];
export type ConversationMessage = Schemas['ChatMessageOut'];
export type ConversationInquiry = Schemas['ConversationInquiry'];
export type ConversationOutcome = ConversationRow['outcome'];
export type Language = ConversationRow['language'];

/* ---------- satisfaction survey ---------- */

export type SurveyAnswer = Schemas['SatisfactionCreate'];
export type SurveyResult = Schemas['SatisfactionOut'];

/** RFC 9457 problem details. */
export type Problem = Schemas['Problem'];

/* ---------- UI-side types (not API shapes) ---------- */

/** State of the live-updates connection, as the header shows it. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'polling';

/** Messages of `WS /api/v1/analytics/wismo/live` (a WebSocket: not in the OpenAPI document). */
export type LiveMessage =
  | { type: 'live.ready'; degraded: boolean }
  | { type: 'metrics.updated'; storeId: string; dates: string[]; at?: string }
  | { type: 'live.degraded' }
  | { type: 'live.restored' }
  | { type: 'ping' };
export type HelpdeskConnection = Schemas['HelpdeskConnectionOut'];
export type HelpdeskName = HelpdeskConnection['provider'];
export type HelpdeskSecret = Schemas['HelpdeskSecretOut'];
export type TrackingSettings = Schemas['TrackingSettingsOut'];
export type TrackingProviderStatus = Schemas['TrackingProviderOut'];

/* ---------- alert channels and digests ---------- */

export type AlertChannels = Schemas['AlertChannelsOut'];
export type AlertChannelsUpdate = Schemas['AlertChannelsUpdate'];
export type AlertChannelName = Schemas['AlertKindChannels']['channels'][number];
export type DigestSettings = Schemas['DigestSettingsOut'];
export type DigestSettingsIn = Schemas['DigestSettingsIn'];
export type DigestFrequency = DigestSettingsIn['frequency'];

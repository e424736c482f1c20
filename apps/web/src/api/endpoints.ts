import type { operations } from './schema';
import { client, dataOf, storeHeader } from './client';
import type { AlertChannelsUpdate, BusinessHoursUpdate, DigestSettingsIn, HelpdeskName, InviteAccept, InviteCreate, LoginRequest, SignupRequest, StoreRole, StoreUpdate, SurveyAnswer } from './types';

type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/** Query parameters of each analytics endpoint, as the generated schema declares them. */
export type OverviewQuery = QueryOf<'analytics-overview'>;
export type TrendsQuery = QueryOf<'analytics-inquiries'> & QueryOf<'analytics-fulfillment'> & QueryOf<'analytics-satisfaction'>;
export type InsightsQuery = QueryOf<'analytics-insights'>;
export type InquiryDrillQuery = QueryOf<'analytics-drilldown-inquiries'>;
export type ShipmentDrillQuery = QueryOf<'analytics-drilldown-shipments'>;
export type ExportQuery = QueryOf<'analytics-export-csv'>;
export type ReportQuery = QueryOf<'analytics-report-pdf'>;
export type ConversationsQuery = QueryOf<'chat-list-conversations'>;

interface Scoped {
  storeId: string;
  signal?: AbortSignal;
}

const scoped = ({ storeId, signal }: Scoped) => ({ headers: storeHeader(storeId), signal });

export const api = {
  login: (body: LoginRequest) => dataOf(client.POST('/api/v1/auth/login', { body })),
  logout: () => dataOf(client.POST('/api/v1/auth/logout')),
  me: (signal?: AbortSignal) => dataOf(client.GET('/api/v1/auth/me', { signal })),
  currentStore: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current', scoped(opts))),
  updateStore: (body: StoreUpdate, opts: Scoped) => dataOf(client.PATCH('/api/v1/stores/current', { body, ...scoped(opts) })),
  timezoneChange: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current/timezone-change', scoped(opts))),
  businessHours: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current/business-hours', scoped(opts))),
  setBusinessHours: (body: BusinessHoursUpdate, opts: Scoped) =>
    dataOf(client.PUT('/api/v1/stores/current/business-hours', { body, ...scoped(opts) })),
  setup: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current/setup', scoped(opts))),
  apiKeys: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current/api-keys', scoped(opts))),
  createApiKey: (name: string, opts: Scoped) =>
    dataOf(client.POST('/api/v1/stores/current/api-keys', { body: { name }, ...scoped(opts) })),
  revokeApiKey: (keyId: string, opts: Scoped) =>
    dataOf(client.DELETE('/api/v1/stores/current/api-keys/{key_id}', { params: { path: { key_id: keyId } }, ...scoped(opts) })),
  widget: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current/widget', scoped(opts))),
  updateWidget: (allowedOrigins: string[], opts: Scoped) =>
    dataOf(client.PUT('/api/v1/stores/current/widget', { body: { allowedOrigins }, ...scoped(opts) })),

  signupStatus: (signal?: AbortSignal) => dataOf(client.GET('/api/v1/auth/signup', { signal })),
  signup: (body: SignupRequest) => dataOf(client.POST('/api/v1/auth/signup', { body })),
  previewInvite: (token: string) => dataOf(client.POST('/api/v1/auth/invites/preview', { body: { token } })),
  acceptInvite: (body: InviteAccept) => dataOf(client.POST('/api/v1/auth/invites/accept', { body })),
  requestPasswordReset: (email: string) => dataOf(client.POST('/api/v1/auth/password-reset', { body: { email } })),
  confirmPasswordReset: (token: string, password: string) =>
    dataOf(client.POST('/api/v1/auth/password-reset/confirm', { body: { token, password } })),

  team: (opts: Scoped) => dataOf(client.GET('/api/v1/settings/team', scoped(opts))),
  invite: (body: InviteCreate, opts: Scoped) => dataOf(client.POST('/api/v1/settings/team/invites', { body, ...scoped(opts) })),
  revokeInvite: (inviteId: string, opts: Scoped) =>
    dataOf(client.DELETE('/api/v1/settings/team/invites/{invite_id}', { params: { path: { invite_id: inviteId } }, ...scoped(opts) })),
  changeRole: (userId: string, role: StoreRole, opts: Scoped) =>
    dataOf(
      client.PUT('/api/v1/settings/team/members/{user_id}/role', {
        params: { path: { user_id: userId } },
        body: { role },
        ...scoped(opts),
      }),
    ),
  removeMember: (userId: string, opts: Scoped) =>
    dataOf(client.DELETE('/api/v1/settings/team/members/{user_id}', { params: { path: { user_id: userId } }, ...scoped(opts) })),
  outbox: (cursor: string | undefined, opts: Scoped) =>
    dataOf(client.GET('/api/v1/settings/outbox', { params: { query: { cursor } }, ...scoped(opts) })),
  audit: (cursor: string | undefined, opts: Scoped) =>
    dataOf(client.GET('/api/v1/settings/audit', { params: { query: { cursor } }, ...scoped(opts) })),
  alertChannels: (opts: Scoped) => dataOf(client.GET('/api/v1/settings/alert-channels', scoped(opts))),
  setAlertChannels: (body: AlertChannelsUpdate, opts: Scoped) =>
    dataOf(client.PUT('/api/v1/settings/alert-channels', { body, ...scoped(opts) })),
  myDigest: (opts: Scoped) => dataOf(client.GET('/api/v1/settings/digest', scoped(opts))),
  setMyDigest: (body: DigestSettingsIn, opts: Scoped) => dataOf(client.PUT('/api/v1/settings/digest', { body, ...scoped(opts) })),

  /** Label, unit and good direction of every metric (the backend's metric registry). */
  metricDefinitions: (opts: Scoped) => dataOf(client.GET('/api/v1/analytics/wismo/metrics', scoped(opts))),
  overview: (query: OverviewQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/overview', { params: { query }, ...scoped(opts) })),
  inquiries: (query: TrendsQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/inquiries', { params: { query }, ...scoped(opts) })),
  fulfillment: (query: TrendsQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/fulfillment', { params: { query }, ...scoped(opts) })),
  satisfaction: (query: TrendsQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/satisfaction', { params: { query }, ...scoped(opts) })),
  insights: (query: InsightsQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/insights', { params: { query }, ...scoped(opts) })),
  drilldownInquiries: (query: InquiryDrillQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/drilldown/inquiries', { params: { query }, ...scoped(opts) })),
  drilldownShipments: (query: ShipmentDrillQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/drilldown/shipments', { params: { query }, ...scoped(opts) })),
  /** The CSV export as an unread Response (downloads read it with progress, see download.ts). */
  exportCsv: (query: ExportQuery, { storeId, signal }: Scoped) =>
    client
      .GET('/api/v1/analytics/wismo/export.csv', {
        params: { query },
        headers: { ...storeHeader(storeId), Accept: 'text/csv' },
        signal,
        parseAs: 'stream',
      })
      .then(({ response }) => response),
  reportPdf: (query: ReportQuery, { storeId, signal }: Scoped) =>
    client
      .GET('/api/v1/analytics/wismo/report.pdf', {
        params: { query },
        headers: { ...storeHeader(storeId), Accept: 'application/pdf' },
        signal,
        parseAs: 'stream',
      })
      .then(({ response }) => response),
  /** A single-use ticket that opens the live WebSocket (see useLiveUpdates). */
  liveTicket: (opts: Scoped) => dataOf(client.POST('/api/v1/analytics/wismo/live/ticket', scoped(opts))),
  atRisk: (limit: number, opts: Scoped) =>
    dataOf(client.GET('/api/v1/analytics/wismo/at-risk', { params: { query: { limit } }, ...scoped(opts) })),

  alerts: (opts: Scoped) => dataOf(client.GET('/api/v1/alerts', scoped(opts))),
  acknowledgeAlert: (alertId: string, opts: Scoped) =>
    dataOf(client.POST('/api/v1/alerts/{alert_id}/acknowledge', { params: { path: { alert_id: alertId } }, ...scoped(opts) })),

  conversations: (query: ConversationsQuery, opts: Scoped) =>
    dataOf(client.GET('/api/v1/chat/conversations', { params: { query }, ...scoped(opts) })),
  conversation: (conversationId: string, opts: Scoped) =>
    dataOf(
      client.GET('/api/v1/chat/conversations/{conversation_id}', {
        params: { path: { conversation_id: conversationId } },
        ...scoped(opts),
      }),
    ),

  orderTimeline: (orderNumber: string, opts: Scoped) =>
    dataOf(client.GET('/api/v1/orders/{order_number}/timeline', { params: { path: { order_number: orderNumber } }, ...scoped(opts) })),

  helpdesks: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current/helpdesks', scoped(opts))),
  setHelpdeskSecret: (provider: HelpdeskName, secret: string | undefined, opts: Scoped) =>
    dataOf(
      client.PUT('/api/v1/stores/current/helpdesks/{provider}', {
        params: { path: { provider } },
        body: secret === undefined ? undefined : { secret },
        ...scoped(opts),
      }),
    ),
  disconnectHelpdesk: (provider: HelpdeskName, opts: Scoped) =>
    dataOf(client.DELETE('/api/v1/stores/current/helpdesks/{provider}', { params: { path: { provider } }, ...scoped(opts) })),

  trackingSettings: (opts: Scoped) => dataOf(client.GET('/api/v1/stores/current/tracking', scoped(opts))),
  setTrackingSecret: (secret: string, opts: Scoped) =>
    dataOf(client.PUT('/api/v1/stores/current/tracking-secret', { body: { secret }, ...scoped(opts) })),

  shopifyConnection: (opts: Scoped) => dataOf(client.GET('/api/v1/integrations/shopify', scoped(opts))),
  shopifyInstall: (shop: string, opts: Scoped) =>
    dataOf(client.POST('/api/v1/integrations/shopify/install', { body: { shop }, ...scoped(opts) })),
  shopifyBackfill: (days: number, opts: Scoped) =>
    dataOf(client.POST('/api/v1/integrations/shopify/backfills', { body: { days }, ...scoped(opts) })),

  /** The customer's survey answer: no session, the signed token is the credential. */
  answerSurvey: (inquiryId: string, body: SurveyAnswer) =>
    dataOf(client.POST('/api/v1/satisfaction/{inquiry_id}', { params: { path: { inquiry_id: inquiryId } }, body })),
};

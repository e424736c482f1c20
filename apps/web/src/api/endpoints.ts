import { apiCall, type QueryOf } from './client';
import type { AlertChannelsUpdate, DigestSettingsIn, InviteAccept, InviteCreate, LoginRequest, SignupRequest, StoreRole, SurveyAnswer } from './types';

/** Query parameters of each analytics endpoint, as the generated schema declares them. */
export type OverviewQuery = QueryOf<'/api/v1/analytics/wismo/overview'>;
export type TrendsQuery = QueryOf<'/api/v1/analytics/wismo/inquiries'> &
  QueryOf<'/api/v1/analytics/wismo/fulfillment'> &
  QueryOf<'/api/v1/analytics/wismo/satisfaction'>;
export type InsightsQuery = QueryOf<'/api/v1/analytics/wismo/insights'>;
export type InquiryDrillQuery = QueryOf<'/api/v1/analytics/wismo/drilldown/inquiries'>;
export type ShipmentDrillQuery = QueryOf<'/api/v1/analytics/wismo/drilldown/shipments'>;
export type ExportQuery = QueryOf<'/api/v1/analytics/wismo/export.csv'>;
export type ReportQuery = QueryOf<'/api/v1/analytics/wismo/report.pdf'>;
export type ConversationsQuery = QueryOf<'/api/v1/chat/conversations'>;

interface Scoped {
  storeId: string;
  signal?: AbortSignal;
}

export const api = {
  login: (body: LoginRequest) => apiCall('post', '/api/v1/auth/login', { body }),
  logout: () => apiCall('post', '/api/v1/auth/logout'),
  me: (signal?: AbortSignal) => apiCall('get', '/api/v1/auth/me', { signal }),
  currentStore: (opts: Scoped) => apiCall('get', '/api/v1/stores/current', opts),

  signupStatus: (signal?: AbortSignal) => apiCall('get', '/api/v1/auth/signup', { signal }),
  signup: (body: SignupRequest) => apiCall('post', '/api/v1/auth/signup', { body }),
  previewInvite: (token: string) => apiCall('post', '/api/v1/auth/invites/preview', { body: { token } }),
  acceptInvite: (body: InviteAccept) => apiCall('post', '/api/v1/auth/invites/accept', { body }),
  requestPasswordReset: (email: string) => apiCall('post', '/api/v1/auth/password-reset', { body: { email } }),
  confirmPasswordReset: (token: string, password: string) =>
    apiCall('post', '/api/v1/auth/password-reset/confirm', { body: { token, password } }),

  team: (opts: Scoped) => apiCall('get', '/api/v1/settings/team', opts),
  invite: (body: InviteCreate, opts: Scoped) => apiCall('post', '/api/v1/settings/team/invites', { body, ...opts }),
  revokeInvite: (inviteId: string, opts: Scoped) =>
    apiCall('delete', '/api/v1/settings/team/invites/{invite_id}', { path: { invite_id: inviteId }, ...opts }),
  changeRole: (userId: string, role: StoreRole, opts: Scoped) =>
    apiCall('put', '/api/v1/settings/team/members/{user_id}/role', { path: { user_id: userId }, body: { role }, ...opts }),
  removeMember: (userId: string, opts: Scoped) =>
    apiCall('delete', '/api/v1/settings/team/members/{user_id}', { path: { user_id: userId }, ...opts }),
  outbox: (cursor: string | undefined, opts: Scoped) => apiCall('get', '/api/v1/settings/outbox', { query: { cursor }, ...opts }),
  alertChannels: (opts: Scoped) => apiCall('get', '/api/v1/settings/alert-channels', opts),
  setAlertChannels: (body: AlertChannelsUpdate, opts: Scoped) => apiCall('put', '/api/v1/settings/alert-channels', { body, ...opts }),
  myDigest: (opts: Scoped) => apiCall('get', '/api/v1/settings/digest', opts),
  setMyDigest: (body: DigestSettingsIn, opts: Scoped) => apiCall('put', '/api/v1/settings/digest', { body, ...opts }),
  audit: (cursor: string | undefined, opts: Scoped) => apiCall('get', '/api/v1/settings/audit', { query: { cursor }, ...opts }),

  overview: (query: OverviewQuery, opts: Scoped) => apiCall('get', '/api/v1/analytics/wismo/overview', { query, ...opts }),
  inquiries: (query: TrendsQuery, opts: Scoped) => apiCall('get', '/api/v1/analytics/wismo/inquiries', { query, ...opts }),
  fulfillment: (query: TrendsQuery, opts: Scoped) =>
    apiCall('get', '/api/v1/analytics/wismo/fulfillment', { query, ...opts }),
  satisfaction: (query: TrendsQuery, opts: Scoped) =>
    apiCall('get', '/api/v1/analytics/wismo/satisfaction', { query, ...opts }),
  insights: (query: InsightsQuery, opts: Scoped) => apiCall('get', '/api/v1/analytics/wismo/insights', { query, ...opts }),
  drilldownInquiries: (query: InquiryDrillQuery, opts: Scoped) =>
    apiCall('get', '/api/v1/analytics/wismo/drilldown/inquiries', { query, ...opts }),
  drilldownShipments: (query: ShipmentDrillQuery, opts: Scoped) =>
    apiCall('get', '/api/v1/analytics/wismo/drilldown/shipments', { query, ...opts }),
  /** A single-use ticket that opens the live WebSocket (see useLiveUpdates). */
  liveTicket: (opts: Scoped) => apiCall('post', '/api/v1/analytics/wismo/live/ticket', opts),
  atRisk: (limit: number, opts: Scoped) => apiCall('get', '/api/v1/analytics/wismo/at-risk', { query: { limit }, ...opts }),

  alerts: (opts: Scoped) => apiCall('get', '/api/v1/alerts', opts),
  acknowledgeAlert: (alertId: string, opts: Scoped) =>
    apiCall('post', '/api/v1/alerts/{alert_id}/acknowledge', { path: { alert_id: alertId }, ...opts }),

  conversations: (query: ConversationsQuery, opts: Scoped) => apiCall('get', '/api/v1/chat/conversations', { query, ...opts }),
  conversation: (conversationId: string, opts: Scoped) =>
    apiCall('get', '/api/v1/chat/conversations/{conversation_id}', { path: { conversation_id: conversationId }, ...opts }),

  orderTimeline: (orderNumber: string, opts: Scoped) =>
    apiCall('get', '/api/v1/orders/{order_number}/timeline', { path: { order_number: orderNumber }, ...opts }),

  /** The customer's survey answer: no session, the signed token is the credential. */
  answerSurvey: (inquiryId: string, body: SurveyAnswer) =>
    apiCall('post', '/api/v1/satisfaction/{inquiry_id}', { path: { inquiry_id: inquiryId }, body }),
};

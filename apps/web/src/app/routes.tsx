import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { Navigate, useLocation, type RouteObject } from 'react-router';
import { LoadingBlock } from '../components/ui/Skeleton';
import { ForgotPasswordPage, InvitePage, ResetPasswordPage, SignupPage } from '../pages/access';
import { LoginPage } from '../pages/login';
import { NotFound } from '../pages/NotFound';
import { OrderTimelinePage } from '../pages/orders/timeline';
import { AuthenticatedApp } from './AuthenticatedApp';
import { PAGES } from './preload';
import { useStore } from './StoreContext';

// Each analytics page is its own chunk; Recharts is loaded by the charts themselves.
const WISMODashboard = PAGES.wismo.Component;
const InquiryAnalytics = PAGES.inquiries.Component;
const FulfillmentAnalytics = PAGES.fulfillment.Component;
const AtRiskPage = PAGES.atRisk.Component;
const ConversationsPage = lazy(() => import('../pages/conversations'));
const IntegrationsSettingsPage = lazy(() => import('../pages/settings/integrations'));
// The customer's survey: public (no login), its own small chunk.
const SurveyPage = lazy(() => import('../pages/survey'));
const TeamSettingsPage = lazy(() => import('../pages/settings/team'));
const OutboxPage = lazy(() => import('../pages/settings/outbox'));
const StoreSettingsPage = lazy(() => import('../pages/settings/store'));
const ApiKeysPage = lazy(() => import('../pages/settings/apiKeys'));
const WidgetSettingsPage = lazy(() => import('../pages/settings/widget'));
const AuditLogPage = lazy(() => import('../pages/settings/audit'));
const BusinessHoursPage = lazy(() => import('../pages/settings/businessHours'));

function settingsRoute(path: string, Page: LazyExoticComponent<ComponentType>): RouteObject {
  return {
    path,
    element: (
      <Suspense fallback={<LoadingBlock className="h-64" />}>
        <Page />
      </Suspense>
    ),
  };
}
const NotificationSettingsPage = lazy(() => import('../pages/settings/notifications'));

function RedirectHome() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: '/analytics/wismo', search }} replace />;
}

function SettingsHome() {
  const { search } = useLocation();
  const { store } = useStore();
  const pathname = store.role === 'analyst' ? '/settings/notifications' : '/settings/store';
  return <Navigate to={{ pathname, search }} replace />;
}

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  { path: '/signup', element: <SignupPage /> },
  { path: '/invite', element: <InvitePage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  {
    path: '/survey/:inquiryId',
    element: (
      <Suspense fallback={<LoadingBlock className="m-6 h-64" />}>
        <SurveyPage />
      </Suspense>
    ),
  },
  {
    element: <AuthenticatedApp />,
    children: [
      { index: true, element: <RedirectHome /> },
      { path: 'analytics', element: <RedirectHome /> },
      { path: 'analytics/wismo', element: <WISMODashboard /> },
      { path: 'analytics/wismo/inquiries', element: <InquiryAnalytics /> },
      { path: 'analytics/wismo/fulfillment', element: <FulfillmentAnalytics /> },
      { path: 'analytics/wismo/at-risk', element: <AtRiskPage /> },
      // One route, so that choosing a conversation keeps the list as it is.
      { path: 'conversations/:conversationId?', element: <ConversationsPage /> },
      { path: 'orders/:orderNumber/timeline', element: <OrderTimelinePage /> },
      // Keeps ?store= so that the settings open for the store being looked at.
      { path: 'settings', element: <SettingsHome /> },
      settingsRoute('settings/store', StoreSettingsPage),
      settingsRoute('settings/api-keys', ApiKeysPage),
      settingsRoute('settings/widget', WidgetSettingsPage),
      settingsRoute('settings/team', TeamSettingsPage),
      settingsRoute('settings/audit', AuditLogPage),
      settingsRoute('settings/outbox', OutboxPage),
      settingsRoute('settings/integrations', IntegrationsSettingsPage),
      settingsRoute('settings/business-hours', BusinessHoursPage),
      { path: 'settings/helpdesks', element: <Navigate to="/settings/integrations" replace /> },
      settingsRoute('settings/notifications', NotificationSettingsPage),
      { path: '*', element: <NotFound /> },
    ],
  },
];

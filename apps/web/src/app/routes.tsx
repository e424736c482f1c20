import { lazy, Suspense } from 'react';
import { Navigate, useLocation, type RouteObject } from 'react-router';
import { LoadingBlock } from '../components/ui/Skeleton';
import { LoginPage } from '../pages/login';
import { NotFound } from '../pages/NotFound';
import { OrderTimelinePage } from '../pages/orders/timeline';
import { AuthenticatedApp } from './AuthenticatedApp';
import { PAGES } from './preload';

// Each analytics page is its own chunk; Recharts is loaded by the charts themselves.
const WISMODashboard = PAGES.wismo.Component;
const InquiryAnalytics = PAGES.inquiries.Component;
const FulfillmentAnalytics = PAGES.fulfillment.Component;
const AtRiskPage = PAGES.atRisk.Component;
const ConversationsPage = lazy(() => import('../pages/conversations'));
const HelpdeskSettingsPage = lazy(() => import('../pages/settings/helpdesks'));
// The customer's survey: public (no login), its own small chunk.
const SurveyPage = lazy(() => import('../pages/survey'));

function RedirectHome() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: '/analytics/wismo', search }} replace />;
}

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
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
      { path: 'settings/helpdesks', element: <HelpdeskSettingsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

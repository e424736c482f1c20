import { lazy, Suspense } from 'react';
import { Navigate, useLocation, type RouteObject } from 'react-router';
import { LoadingBlock } from '../components/ui/Skeleton';
import { LoginPage } from '../pages/login';
import { NotFound } from '../pages/NotFound';
import { OrderTimelinePage } from '../pages/orders/timeline';
import { AuthenticatedApp } from './AuthenticatedApp';

// The chart pages share one lazily loaded chunk with Recharts.
const WISMODashboard = lazy(() => import('../pages/analytics/wismo'));
const InquiryAnalytics = lazy(() => import('../pages/analytics/inquiries'));
const FulfillmentAnalytics = lazy(() => import('../pages/analytics/fulfillment'));
const AtRiskPage = lazy(() => import('../pages/analytics/atRisk'));
const ConversationsPage = lazy(() => import('../pages/conversations'));
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
      { path: '*', element: <NotFound /> },
    ],
  },
];

import { lazy } from 'react';
import { Navigate, useLocation, type RouteObject } from 'react-router';
import { LoginPage } from '../pages/login';
import { NotFound } from '../pages/NotFound';
import { OrderTimelinePage } from '../pages/orders/timeline';
import { AuthenticatedApp } from './AuthenticatedApp';

// The chart pages share one lazily loaded chunk with Recharts.
const WISMODashboard = lazy(() => import('../pages/analytics/wismo'));
const InquiryAnalytics = lazy(() => import('../pages/analytics/inquiries'));
const FulfillmentAnalytics = lazy(() => import('../pages/analytics/fulfillment'));

function RedirectHome() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: '/analytics/wismo', search }} replace />;
}

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    element: <AuthenticatedApp />,
    children: [
      { index: true, element: <RedirectHome /> },
      { path: 'analytics', element: <RedirectHome /> },
      { path: 'analytics/wismo', element: <WISMODashboard /> },
      { path: 'analytics/wismo/inquiries', element: <InquiryAnalytics /> },
      { path: 'analytics/wismo/fulfillment', element: <FulfillmentAnalytics /> },
      { path: 'orders/:orderNumber/timeline', element: <OrderTimelinePage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

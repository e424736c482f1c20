import { Link, useLocation, useParams } from 'react-router';
import { OrderTimeline } from '../../components/orders/OrderTimeline';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useStoreSearch } from '../../app/StoreContext';

/** /orders/:orderNumber/timeline */
export function OrderTimelinePage() {
  const { orderNumber = '' } = useParams();
  const location = useLocation();
  const storeSearch = useStoreSearch();
  usePageTitle(`Order ${orderNumber}`);
  const cameFromApp = location.key !== 'default';
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      {cameFromApp ? (
        <button
          type="button"
          onClick={() => window.history.back()}
          className="text-sm font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          ← Back
        </button>
      ) : (
        <Link to={`/analytics/wismo${storeSearch}`} className="text-sm font-medium text-indigo-600 hover:underline">
          ← Dashboard
        </Link>
      )}
      <OrderTimeline key={orderNumber} orderNumber={orderNumber} />
    </div>
  );
}

export default OrderTimelinePage;

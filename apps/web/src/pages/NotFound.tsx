import { Link } from 'react-router';
import { EmptyState } from '../components/ui/States';
import { usePageTitle } from '../hooks/usePageTitle';

export function NotFound() {
  usePageTitle('Not found');
  return (
    <EmptyState title="This page doesn’t exist">
      <Link to="/analytics/wismo" className="font-medium text-indigo-600 hover:underline">
        Go to the dashboard
      </Link>
    </EmptyState>
  );
}

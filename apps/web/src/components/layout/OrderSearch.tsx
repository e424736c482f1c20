import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useStoreSearch } from '../../app/StoreContext';

/** Header search box: jumps to an order's timeline. */
export function OrderSearch() {
  const [value, setValue] = useState('');
  const navigate = useNavigate();
  const storeSearch = useStoreSearch();
  const id = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const orderNumber = value.trim();
    if (!orderNumber) return;
    navigate(`/orders/${encodeURIComponent(orderNumber)}/timeline${storeSearch}`);
    setValue('');
  };

  return (
    <form role="search" onSubmit={submit} className="flex w-full min-w-0 items-center">
      <label htmlFor={id} className="sr-only">
        Find an order by number
      </label>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="Order #"
        autoComplete="off"
        className="min-w-0 flex-1 rounded-l-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm placeholder:text-slate-500 focus-visible:outline-2 focus-visible:-outline-offset-1 focus-visible:outline-indigo-600 sm:w-40"
      />
      <button
        type="submit"
        className="rounded-r-md border border-l-0 border-slate-300 bg-slate-50 px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        Find
      </button>
    </form>
  );
}

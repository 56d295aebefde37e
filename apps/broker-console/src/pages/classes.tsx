import type { Role } from '../api/types';
import { BookClassForm } from '../components/book-class-form';
import { CapacityForecast } from '../components/capacity-forecast';
import { QuotaList } from '../components/quota-list';
import { ReservationList } from '../components/reservation-list';
import { classActions } from '../lib/actions';

/**
 * Classes (issue #16): the capacity forecast, the booked classes and the per-track quotas.
 * Booking, resize, cancel and quota changes are rendered for admins only.
 */
export function ClassesPage({ role }: { readonly role: Role }) {
  const actions = classActions(role);
  return (
    <>
      <h1>Classes</h1>
      <CapacityForecast />
      {actions.book ? <BookClassForm /> : null}
      <ReservationList role={role} />
      <QuotaList canEdit={actions.editQuotas} />
    </>
  );
}

import type { AdminSandbox } from '../api/types';
import {
  canChange,
  classActions,
  confirmText,
  validReason,
  visibleRepairs,
  visibleReservationActions,
} from './actions';

const sandbox = (over: Partial<AdminSandbox> = {}): AdminSandbox => ({
  sandbox_id: '2026042',
  name: 'lab-demo-0042',
  external_id: 'identity/accounts/x',
  status: 'allocated',
  sfdc_account_id: null,
  owner_id: 'student-1',
  track_name: 'dns-basics',
  allocated_at: 1,
  expires_at: 2,
  deletion_requested_at: null,
  deletion_attempts: 0,
  next_attempt_at: null,
  last_error: null,
  quarantine_reason: null,
  deleted_at: null,
  stale_since: null,
  created_at: 0,
  updated_at: 1,
  version: 2,
  ...over,
});

describe('role and status to visible actions', () => {
  it('gives a viewer nothing to change, whatever the status', () => {
    expect(canChange('viewer')).toBe(false);
    expect(canChange(null)).toBe(false);
    for (const status of ['allocated', 'deletion_failed', 'available', 'quarantined'] as const) {
      expect(visibleRepairs('viewer', status)).toEqual([]);
    }
  });

  it('gives an admin the repairs the status allows', () => {
    expect(canChange('admin')).toBe(true);
    expect(visibleRepairs('admin', 'allocated')).toEqual(['force-release']);
    expect(visibleRepairs('admin', 'deletion_failed')).toEqual(['retry-deletion', 'quarantine']);
    expect(visibleRepairs('admin', 'quarantined')).toEqual(['retry-deletion']);
    expect(visibleRepairs('admin', 'available')).toEqual(['quarantine']);
    expect(visibleRepairs('admin', 'deleted')).toEqual([]);
    expect(visibleRepairs('admin', 'deleting')).toEqual([]);
  });

  it('names the sandbox and its owner in the confirmation', () => {
    expect(confirmText('force-release', sandbox())).toBe(
      "Force release lab-demo-0042 (id 2026042) owned by student-1 (track dns-basics)? The student's lab loses the sandbox and it goes to deletion.",
    );
    const text = confirmText(
      'quarantine',
      sandbox({ status: 'available', owner_id: null, track_name: null }),
    );
    expect(text).toBe(
      'Quarantine lab-demo-0042 (id 2026042)? It stays out of the pool until a retry of its deletion.',
    );
  });

  it('accepts the quarantine reasons the API accepts', () => {
    expect(validReason('stuck at the provider')).toBe(true);
    expect(validReason('   ')).toBe(false);
    expect(validReason('x'.repeat(501))).toBe(false);
    expect(validReason('two\nlines')).toBe(false);
  });
});

describe('role to the Classes page actions', () => {
  it('gives a viewer no booking, resize, cancel or quota change', () => {
    expect(classActions('viewer')).toEqual({ book: false, editQuotas: false });
    expect(classActions(undefined)).toEqual({ book: false, editQuotas: false });
    expect(visibleReservationActions('viewer', 'confirmed')).toEqual([]);
  });

  it('gives an admin all of them, resize and cancel only on a confirmed booking', () => {
    expect(classActions('admin')).toEqual({ book: true, editQuotas: true });
    expect(visibleReservationActions('admin', 'confirmed')).toEqual(['resize', 'cancel']);
    expect(visibleReservationActions('admin', 'cancelled')).toEqual([]);
    expect(visibleReservationActions('admin', 'ended')).toEqual([]);
  });
});

import { SandboxStatus } from '@broker/domain';
import {
  allocationSortKey,
  claimPk,
  claimTypeSk,
  nameOfSortKey,
  nameSortKey,
  sandboxIdOfPk,
  sandboxPk,
  statusPk,
} from './item-keys';

describe('item keys', () => {
  it('builds sandbox keys and reads the id back', () => {
    expect(sandboxPk('2026839')).toBe('SBX#2026839');
    expect(sandboxIdOfPk('SBX#2026839')).toBe('2026839');
    expect(sandboxIdOfPk('CLAIM#x#y')).toBeNull();
  });

  it('ends index sort keys with the item id and recovers the name', () => {
    expect(nameSortKey('lab-0001', '42')).toBe('lab-0001#42');
    expect(nameOfSortKey(nameSortKey('odd#name', '42'))).toBe('odd#name');
    expect(statusPk(SandboxStatus.PendingDeletion, '15')).toBe('pending_deletion#15');
  });

  it('keeps claim keys unambiguous when ids contain the separator', () => {
    expect(claimPk('student', 'key')).toBe('CLAIM#student#key');
    expect(claimPk('a#b', 'c')).not.toBe(claimPk('a', 'b#c'));
    expect(claimPk('a%23b', 'c')).not.toBe(claimPk('a#b', 'c'));
  });

  it('pads numbers so string order is numeric order', () => {
    expect(allocationSortKey(1_760_000_000, '9')).toBe('1760000000#9');
    expect(allocationSortKey(5, '9') < allocationSortKey(40, '9')).toBe(true);
    expect(claimTypeSk(999, 'CLAIM#s#k') < claimTypeSk(1000, 'CLAIM#s#k')).toBe(true);
    expect(claimTypeSk(1000, 'CLAIM#s#k').startsWith('0000000001000#')).toBe(true);
  });
});

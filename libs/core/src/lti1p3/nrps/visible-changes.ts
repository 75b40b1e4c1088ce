import { ProviderPrivacy } from '../../catalog/lti-provider';
import { ChangedMember, MembershipChangeKind } from '../../learning/membership-change.repository';

/**
 * Whether a tool can see a change at all (NRPS 2.0 §2.4.1 asks for the members whose membership
 * changed; a PII change counts only within what the provider's privacy setting lets the tool have):
 * membership and account status always; names, email and the SIS id only when sent; the login or SIS
 * id also when it is the tool's user id.
 */
export function isVisibleChange(change: ChangedMember, privacy: ProviderPrivacy): boolean {
  return change.changed.some((kind) => isVisibleKind(kind, privacy));
}

function isVisibleKind(kind: MembershipChangeKind, { level, userIdSource }: ProviderPrivacy): boolean {
  switch (kind) {
    case 'enrollment':
    case 'status':
      return true;
    case 'name':
      return level === 'public' || level === 'name_only';
    case 'email':
      return level === 'public' || level === 'email_only';
    case 'sis_id':
      return level === 'public' || userIdSource === 'sis_id';
    case 'login_id':
      return userIdSource === 'login_id';
  }
}

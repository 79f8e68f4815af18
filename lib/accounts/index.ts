/**
 * Accounts (issue 14): a practice starts on its own. Sign-up with e-mail verification
 * (signup.ts), the operator's command (practice.ts), invitations (invitations.ts), members and
 * their roles (members.ts), password reset and change (password.ts), the first-run checklist
 * (onboarding.ts). Staff mails go through the notifications transport (mail.ts).
 */
export { signUp, signUpOpen, verifyEmail, resendVerification, verificationLinkUsable, type SignUpInput, type SignUpResult, type PublicCaller } from './signup';
export { slugAvailability, createPracticeForOperator, type SlugAvailability, type OperatorPracticeInput, type OperatorPracticeResult } from './practice';
export {
  inviteMember,
  listInvitations,
  resendInvitation,
  revokeInvitation,
  previewInvitation,
  acceptInvitation,
  acceptInvitationAsUser,
  type InvitationView,
  type InvitationPreview,
  type AcceptNewAccountInput,
  type InviteInput,
  type InvitationIdInput,
} from './invitations';
export { listMembers, changeMemberRoles, removeMember, type MemberView, type MemberIdInput, type MemberRolesInput } from './members';
export { requestPasswordReset, resetPassword, resetLinkUsable, changePassword, RESET_REQUESTED, type ChangePasswordInput } from './password';
export { onboardingStatus, type OnboardingStatus } from './onboarding';
export { mailOutcomeText, type StaffMailOutcome } from './mail';

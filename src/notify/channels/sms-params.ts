// Aliyun and Tencent send only templates registered (and reviewed) in the provider's console;
// fanzha sends the template code plus its variables. These are the variables each template uses,
// in order (Tencent takes a positional list), so the shop registers matching texts.
import type { NoticeTemplate } from '../notifier.port.ts';

export const SMS_PARAMS: Record<NoticeTemplate, readonly string[]> = {
  'refund.requested': ['orderId'],
  'refund.completed': ['orderId'],
  'login.new_device': ['time', 'device'],
  'login.breached_password': [],
  'account.password_changed': [],
  'account.phone_changed': [],
  'account.address_changed': [],
  'contact.opened': ['staffName', 'team'],
  'incident.notice': ['when'],
};

/** Template variables as strings, in the documented order; SMS variables never carry links. */
export function smsParams(template: string, vars: Record<string, string | number>): { name: string; value: string }[] {
  const names = SMS_PARAMS[template as NoticeTemplate] ?? [];
  return names.map((name) => ({
    name,
    value: String(vars[name] ?? '')
      .replace(/(https?:\/\/|www\.)\S*/gi, '')
      .slice(0, 35),
  }));
}

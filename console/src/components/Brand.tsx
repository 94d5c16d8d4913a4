// The product mark and name: the console's sidebar (light on dark) and the sign-in card (dark).
import { useI18n } from '../i18n/i18n.tsx';

export function Brand({ dark }: { dark?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={dark ? 'brand brand-dark' : 'brand'}>
      <span className="brand-mark" aria-hidden="true">
        反
      </span>
      <span>
        <strong>{t('app.name')}</strong>
        <small>{t('app.tagline')}</small>
      </span>
    </div>
  );
}

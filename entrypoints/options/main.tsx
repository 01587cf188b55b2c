import { render } from 'preact';
import { OptionsView } from '@/components/OptionsView';
import { createOptionsApi } from '@/lib/accounts/options-api';
import { createDefaultsApi } from '@/lib/settings/options-api';
import { createDiagnosticsApi } from '@/lib/share-out/options-api';
import '@/components/page.css';

const extras = { defaults: createDefaultsApi(), diagnostics: createDiagnosticsApi() };
render(<OptionsView api={createOptionsApi()} extras={extras} />, document.getElementById('app')!);

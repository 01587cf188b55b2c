import { render } from 'preact';
import { OptionsView } from '@/components/OptionsView';
import { createOptionsApi } from '@/lib/accounts/options-api';
import '@/components/page.css';

render(<OptionsView api={createOptionsApi()} />, document.getElementById('app')!);

import { render } from 'preact';
import { OptionsView } from '@/components/OptionsView';
import '@/components/page.css';

render(<OptionsView />, document.getElementById('app')!);

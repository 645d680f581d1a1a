import { render } from 'preact';
import { captureErrors } from '../errors.ts';
import { OptionsPage } from './OptionsPage.tsx';
import './styles.css';

captureErrors('options');
const root = document.getElementById('app');
if (root) render(<OptionsPage />, root);

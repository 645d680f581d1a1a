import { render } from 'preact';
import { captureErrors } from '../errors.ts';
import { App } from './App.tsx';
import './styles.css';

captureErrors('sidepanel');
const root = document.getElementById('app');
if (root) render(<App mode="sidepanel" />, root);

// Entry point: reads config.json, registers the service worker and renders the app.
import { render } from 'preact';
import { configure } from './api';
import { App } from './app';
import './styles.css';

configure().then(() => render(<App />, document.getElementById('app')!));

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  addEventListener('load', () => navigator.serviceWorker.register('sw.js').catch(() => undefined));
}

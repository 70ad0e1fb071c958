import { createRoot } from 'react-dom/client';
import { App } from './app';
import { restoreSession } from './state/session-store';
import './styles.css';

// The table's mode and query as they were before a reload, before the first page is asked for.
restoreSession();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);

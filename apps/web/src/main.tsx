/*
 * The entry script: sends a cold load's first requests (`/auth/me`, the page's data and code)
 * before the React bundle has arrived and run, then loads the app (app/start.tsx), which hands
 * them to React Query. Nothing imported here statically may pull in React.
 */
import { sendFirstRequests } from './app/firstRequests';
import './index.css';

sendFirstRequests(window.location);
void import('./app/start');

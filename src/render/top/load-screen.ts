import type {mountTop} from './mount.js';

const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/**
 * Load the ink screen. ink reads $CI and $CONTINUOUS_INTEGRATION once, when it is first
 * imported, and if either is set it draws nothing until the program exits. `top` has already
 * checked that stdout is a terminal, which is the only thing that decides whether it draws a
 * live screen, so those variables are hidden while ink loads and put back afterwards.
 */
export async function loadTopScreen(): Promise<typeof mountTop> {
  const saved = CI_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const [name] of saved) delete process.env[name];
  try {
    return (await import('./mount.js')).mountTop;
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

import { createContext, useContext } from 'react';
import { createTheme, type Theme } from '../theme.js';

/** Given once at the root (colour decided from NO_COLOR there), read by every display component. */
export const ThemeContext = createContext<Theme>(createTheme({ colour: true }));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

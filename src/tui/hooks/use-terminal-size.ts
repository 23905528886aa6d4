import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

/** Ink's fake and piped streams may not know their size: lay out for the classic 80×24 then. */
const FALLBACK = { columns: 80, rows: 24 };

interface SizedStream {
  readonly columns?: number;
  readonly rows?: number;
}

const sizeOf = (stream: SizedStream) => ({
  columns: stream.columns || FALLBACK.columns,
  rows: stream.rows || FALLBACK.rows,
});

export function useTerminalSize(): { readonly columns: number; readonly rows: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

"use client";

// A draggable, keyboard-operable handle on the chart: d3-drag reports the pointer's x in plot
// coordinates while dragging (and stops the zoom's pan from seeing the gesture); arrow keys move
// the value by one grid step (Shift or Page Up/Down: ten).

import { drag } from "d3-drag";
import { select } from "d3-selection";
import { type ReactNode, useEffect, useRef } from "react";

interface HandleProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  /** Text for screen readers, e.g. "1.25 s". */
  valueText: string;
  onDrag: (px: number) => void;
  onKey: (delta: number) => void;
  onEnd: () => void;
  testId: string;
  children: ReactNode;
}

export function Handle({ label, value, min, max, step, valueText, onDrag, onKey, onEnd, testId, children }: HandleProps) {
  const ref = useRef<SVGGElement>(null);
  const callbacks = useRef({ onDrag, onEnd });
  useEffect(() => {
    callbacks.current = { onDrag, onEnd };
  }, [onDrag, onEnd]);

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const behavior = drag<SVGGElement, unknown>()
      .on("drag", (event: { x: number }) => callbacks.current.onDrag(event.x))
      .on("end", () => callbacks.current.onEnd());
    select(node).call(behavior);
    return () => {
      select(node).on(".drag", null);
    };
  }, []);

  const keyDown = (event: React.KeyboardEvent) => {
    const big = event.shiftKey ? 10 : 1;
    const deltas: Record<string, number> = {
      ArrowRight: step * big,
      ArrowUp: step * big,
      ArrowLeft: -step * big,
      ArrowDown: -step * big,
      PageUp: step * 10,
      PageDown: -step * 10,
    };
    const delta = deltas[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    onKey(delta);
  };

  return (
    <g
      ref={ref}
      role="slider"
      tabIndex={0}
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={valueText}
      aria-orientation="horizontal"
      onKeyDown={keyDown}
      onKeyUp={(event) => {
        if (event.key.startsWith("Arrow") || event.key.startsWith("Page")) onEnd();
      }}
      className="cursor-ew-resize outline-none focus-visible:[&>*]:stroke-sky-500 focus-visible:[&>*]:stroke-[3]"
      data-testid={testId}
    >
      {children}
    </g>
  );
}

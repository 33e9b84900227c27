"use client";

import { useEffect, useState } from "react";
import { type AppConfig, loadConfig } from "./config";

/** The run-time config, or null until /config.json has loaded. */
export function useAppConfig(): AppConfig | null {
  const [config, setConfig] = useState<AppConfig | null>(null);
  useEffect(() => {
    let active = true;
    loadConfig().then((loaded) => {
      if (active) setConfig(loaded);
    });
    return () => {
      active = false;
    };
  }, []);
  return config;
}

// The VS Code side of kls: starts `kls lsp` for YAML files and passes the settings on.

import * as fs from "node:fs";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { findServer } from "./server";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("kls");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("kls.restartServer", () => restart(context)),
    vscode.commands.registerCommand("kls.showOutput", () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("kls.server")) {
        await restart(context);
      } else if (event.affectsConfiguration("kls") && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { kls: serverOptions() },
        });
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** The settings the server reads: everything under `kls` except what only the extension uses. */
export function serverOptions(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("kls");
  const options: Record<string, unknown> = {};
  for (const key of ["exclude", "kubernetesVersion", "rules", "kubeconfig", "context"]) {
    const value = config.get(key);
    if (value !== undefined && value !== null) {
      options[key] = value;
    }
  }
  const liveStatus = config.get<boolean | null>("cluster.liveStatus");
  if (liveStatus !== undefined && liveStatus !== null) {
    options.cluster = { liveStatus };
  }
  return options;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const found = findServer({
    configured: vscode.workspace.getConfiguration("kls").get<string>("server.path"),
    env: process.env,
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    platform: process.platform,
    isFile: (file) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    },
  });
  if ("error" in found) {
    output?.appendLine(found.error);
    const choice = await vscode.window.showErrorMessage(found.error, "Open Settings");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "kls.server.path");
    }
    return;
  }
  output?.appendLine(`kls: starting ${found.path} (from the ${found.source})`);
  // vscode-languageclient appends `--stdio` for this transport; `kls lsp` accepts it.
  const server: ServerOptions = {
    command: found.path,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "untitled", language: "yaml" },
    ],
    initializationOptions: serverOptions(),
    outputChannel: output,
  };
  client = new LanguageClient("kls", "kls", server, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = `kls: the language server at ${found.path} did not start: ${String(error)}`;
    output?.appendLine(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stop();
  await start(context);
}

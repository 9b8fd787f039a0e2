/** Bad input: its message is printed alone (one line naming the flag, the value and the fix), no stack. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

// What a filesystem error means, for the errors a user can cause or fix.
const FS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  ENAMETOOLONG: "the name is too long",
  ELOOP: "too many symbolic links",
  EEXIST: "it already exists",
  EIO: "input/output error",
};

const VERBS: Readonly<Record<string, string>> = {
  open: "open",
  read: "read",
  write: "write",
  mkdir: "create directory",
  rmdir: "remove",
  rm: "remove",
  unlink: "remove",
  scandir: "list",
  stat: "read",
  lstat: "read",
  realpath: "resolve",
  rename: "rename",
  copyfile: "copy",
  symlink: "link",
};

/**
 * One line for a known filesystem error (`cannot write out/x/plan.json:
 * permission denied (EACCES)`), or undefined for anything else.
 */
export function filesystemErrorLine(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const { code, syscall, path: file } = e as NodeJS.ErrnoException;
  if (code === undefined || !(code in FS_ERRORS)) return undefined;
  const verb = (syscall && VERBS[syscall]) ?? syscall ?? "use";
  return `cannot ${verb} ${file ?? "a file"}: ${FS_ERRORS[code]} (${code})`;
}

/** Runs a filesystem call on `file`; an error that names no path (a failed read or write) gets `file`, so its line can say which. */
export function onFile<T>(file: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof e === "object" && e !== null && typeof err.code === "string" && err.path === undefined) err.path = file;
    throw e;
  }
}

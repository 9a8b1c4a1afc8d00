/** `f` computed once per distinct argument (for the life of the function returned). */
export function memo<T>(f: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      v = f(key);
      cache.set(key, v);
    }
    return v;
  };
}

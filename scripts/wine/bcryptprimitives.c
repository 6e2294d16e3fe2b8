/*
 * bcryptprimitives.dll for Wine 8.0, which lacks ProcessPrng (Windows 10+ exports it;
 * Bun and Deno call it for randomness at start-up). Forwards to RtlGenRandom
 * (advapi32 SystemFunction036), which Wine implements over the host's random source.
 * Built by scripts/wine/setup.sh with x86_64-w64-mingw32-gcc; used only under Wine.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
  while (size > 0) {
    ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    size -= chunk;
  }
  return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  (void)instance; (void)reason; (void)reserved;
  return TRUE;
}

// MSBuild inline task: copies an ELF64 shared library and marks one symbol-version need (Vernaux entry of
// .gnu.version_r) as weak (VER_FLG_WEAK), so the loader tolerates a libstdc++ that lacks that version.
// Refuses (warning, unpatched copy) when any relocation references a symbol bound to that version.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class IspoWeakenGlibcxxVersionNeed : Task
{
    const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    const ushort VerFlgWeak = 0x2;

    [Required] public string SourceFile { get; set; } = "";
    [Required] public string DestinationFile { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";
    [Output] public bool Patched { get; set; }

    public override bool Execute()
    {
        byte[] elf = File.ReadAllBytes(SourceFile);
        string? problem = TryPatch(elf);
        if (problem != null)
            Log.LogWarning("Ispo: not weakening " + VersionName + " in " + SourceFile + ": " + problem +
                           ". The unpatched library is used; it may fail to load on systems whose libstdc++ lacks it.");
        string tmp = DestinationFile + ".tmp";
        File.WriteAllBytes(tmp, problem == null ? elf : File.ReadAllBytes(SourceFile));
        if (File.Exists(DestinationFile)) File.Delete(DestinationFile);
        File.Move(tmp, DestinationFile);
        Patched = problem == null;
        if (Patched) Log.LogMessage(MessageImportance.Low, "Ispo: weakened " + VersionName + " need in " + DestinationFile);
        return true;
    }

    string? TryPatch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            return "not an ELF file";
        if (elf[4] != 2 || elf[5] != 1) return "not a little-endian ELF64 file";
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shentsize * shnum > elf.Length) return "bad section table";

        int verneed = -1, versym = -1;
        for (int i = 0; i < shnum; i++)
        {
            uint type = U32(elf, Section(shoff, shentsize, i) + 4);
            if (type == ShtGnuVerneed) verneed = i;
            if (type == ShtGnuVersym) versym = i;
        }
        if (verneed < 0 || versym < 0) return "no .gnu.version_r or .gnu.version section";

        long vnSec = Section(shoff, shentsize, verneed);
        long strtab = (long)U64(elf, Section(shoff, shentsize, (int)U32(elf, vnSec + 40)) + 24);
        long pos = (long)U64(elf, vnSec + 24);
        uint needCount = U32(elf, vnSec + 44);
        long auxToPatch = -1;
        int versionIndex = -1;
        for (uint n = 0; n < needCount && pos > 0 && pos + 16 <= elf.Length; n++)
        {
            int auxCount = U16(elf, pos + 2);
            long aux = pos + U32(elf, pos + 8);
            for (int a = 0; a < auxCount && aux + 16 <= elf.Length; a++)
            {
                if (CString(elf, strtab + U32(elf, aux + 8)) == VersionName)
                {
                    auxToPatch = aux;
                    versionIndex = U16(elf, aux + 6) & 0x7fff;
                }
                uint nextAux = U32(elf, aux + 12);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            uint next = U32(elf, pos + 12);
            if (next == 0) break;
            pos += next;
        }
        if (auxToPatch < 0) return "the library has no " + VersionName + " need (already compatible?)";

        string? used = RelocationUsingVersion(elf, shoff, shentsize, shnum, versym, versionIndex);
        if (used != null) return "relocation section " + used + " references a symbol of that version";

        ushort flags = (ushort)U16(elf, auxToPatch + 4);
        flags |= VerFlgWeak;
        elf[auxToPatch + 4] = (byte)flags;
        elf[auxToPatch + 5] = (byte)(flags >> 8);
        return null;
    }

    static string? RelocationUsingVersion(byte[] elf, long shoff, int shentsize, int shnum, int versymSec, int versionIndex)
    {
        long vsOff = (long)U64(elf, Section(shoff, shentsize, versymSec) + 24);
        long vsSize = (long)U64(elf, Section(shoff, shentsize, versymSec) + 32);
        for (int i = 0; i < shnum; i++)
        {
            long sec = Section(shoff, shentsize, i);
            uint type = U32(elf, sec + 4);
            if (type != ShtRela && type != ShtRel) continue;
            uint link = U32(elf, sec + 40);
            if (U32(elf, Section(shoff, shentsize, (int)link) + 4) != ShtDynsym) continue;
            long off = (long)U64(elf, sec + 24), size = (long)U64(elf, sec + 32);
            long entsize = (long)U64(elf, sec + 56);
            if (entsize <= 0) entsize = type == ShtRela ? 24 : 16;
            for (long e = off; e + entsize <= off + size && e + entsize <= elf.Length; e += entsize)
            {
                long sym = (long)(U64(elf, e + 8) >> 32);
                if (sym == 0 || 2 * sym + 2 > vsSize) continue;
                if ((U16(elf, vsOff + 2 * sym) & 0x7fff) == versionIndex) return "#" + i;
            }
        }
        return null;
    }

    static long Section(long shoff, int shentsize, int index) => shoff + (long)shentsize * index;
    static int U16(byte[] b, long o) => b[o] | (b[o + 1] << 8);
    static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
    static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);

    static string CString(byte[] b, long o)
    {
        long end = o;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
    }
}

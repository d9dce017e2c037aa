// One raw row of a dataset file as a JSON object, with its location for error messages.
using System.Text.Json.Nodes;

namespace Ispo.Training.Data;

/// <summary>A raw row; <paramref name="Location"/> reads like "file.jsonl:12" so errors can point at it.</summary>
public sealed record DatasetRow(JsonObject Fields, string Location);

/// <summary>A dataset file or row that does not have the expected shape; the message names file, line and field.</summary>
public sealed class DatasetFormatException(string message, Exception? inner = null) : Exception(message, inner);

using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML;

/// <summary>
/// Loads sequence data into an <see cref="IDataView"/> in the form the recurrent trainers read: a feature column of
/// T x d floats per row (a variable-length vector, step-major, whose type has dimensions [0, d]) and a label column
/// (a key or float per sequence, or a key or float vector with one entry per step, missing steps as key 0 or NaN).
/// </summary>
/// <remarks>
/// Errors: a missing file is a <see cref="FileNotFoundException"/>; bad file content is an
/// <see cref="InvalidDataException"/> whose message starts with the file, the 1-based line and, for a bad cell, the
/// 1-based column; a bad argument or option is an <see cref="ArgumentException"/> (an
/// <see cref="ArgumentOutOfRangeException"/> naming the parameter and its allowed range for a value out of range).
/// Nothing is skipped silently.
/// </remarks>
public static class SequenceLoaderCatalog
{
    /// <summary>
    /// Loads sequences whose features and labels are in separate delimited files, one sequence per file and one step
    /// per line (DL4J's <c>CSVSequenceRecordReader</c> pair). Row i is feature file i with label file i. The files are
    /// read lazily, one pair per row while a cursor moves, so the data may be larger than memory; loading only checks
    /// that every file exists and reads the first pair for the widths.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="featureFiles">One file per sequence; every line is a step of d values.</param>
    /// <param name="labelFiles">
    /// One file per sequence, paired with <paramref name="featureFiles"/> by position. For classification one column,
    /// the class index; for regression every column is an output. An empty label cell is a step without a label.
    /// A one-line label file with <see cref="SequenceAlignment.AlignEnd"/> (or <see cref="SequenceLabelShape.PerSequence"/>)
    /// is many-to-one; a one-line feature file with <see cref="SequenceAlignment.AlignStart"/> is one-to-many.
    /// </param>
    /// <param name="options">Format, label and alignment options; null for the defaults.</param>
    /// <returns>A view with the feature column and the label column; its row count is the number of file pairs.</returns>
    /// <exception cref="FileNotFoundException">A file of either set does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The sets differ in size, or a file of the first pair (read for the widths) is malformed. Problems in other files,
    /// bad class indices and length mismatches throw when a cursor reaches their row.
    /// </exception>
    public static IDataView LoadSequencesFromTextFiles(this DataOperationsCatalog catalog,
        SequenceFileSet featureFiles, SequenceFileSet labelFiles, SequenceTextFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(featureFiles);
        ArgumentNullException.ThrowIfNull(labelFiles);
        options ??= new SequenceTextFileOptions();
        options.Validate();
        return new SequenceDataView(new PairedFileSource(featureFiles, labelFiles, options));
    }

    /// <summary>
    /// Loads sequences whose labels are columns of the same delimited files, one sequence per file and one step per
    /// line: the labels of a step are columns <paramref name="labelColumnIndex"/> to
    /// <c>labelColumnIndex + labelColumnCount - 1</c> and its features all the other columns, in order. Labels are per
    /// step; an empty label cell is a step without a label. The files are read lazily, as in the two-set overload.
    /// <see cref="SequenceTextFileOptions.Alignment"/> does not apply (features and labels share their lines), and
    /// <see cref="SequenceLabelShape.PerSequence"/> is not available.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="files">One file per sequence.</param>
    /// <param name="labelColumnIndex">The 0-based index of the first label column; -1 (the default) for the last columns.</param>
    /// <param name="labelColumnCount">The number of label columns: 1 (the default), or more for multi-output regression.</param>
    /// <param name="options">Format and label options; null for the defaults.</param>
    /// <returns>A view with the feature column and the label column; its row count is the number of files.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The label columns do not fit the files' columns, or leave no feature column.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The first file (read for the widths) is malformed. Problems in other files and bad class indices throw when a
    /// cursor reaches their row.
    /// </exception>
    public static IDataView LoadSequencesFromTextFiles(this DataOperationsCatalog catalog,
        SequenceFileSet files, int labelColumnIndex = -1, int labelColumnCount = 1, SequenceTextFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(files);
        options ??= new SequenceTextFileOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(labelColumnIndex, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(labelColumnCount, 1);
        if (options.ClassCount is not null && labelColumnCount != 1)
            throw new ArgumentOutOfRangeException(nameof(labelColumnCount), labelColumnCount, "Classification has one label column: allowed value 1.");
        if (options.LabelShape != SequenceLabelShape.PerStep)
            throw new ArgumentException("Labels in a column of the feature files are per step; per-sequence labels need their own label files.", nameof(options));
        return new SequenceDataView(new ColumnFileSource(files, labelColumnIndex, labelColumnCount, options));
    }

    /// <summary>
    /// Loads a UEA/sktime <c>.ts</c> file (e.g. the UEA multivariate archive): <c>#</c> comments and <c>@</c> header
    /// lines, then one case per line, <c>ch1:ch2:...:chd:label</c> with each channel's values comma separated. Cases may
    /// differ in length. The features are the channels transposed to step-major order (d values per step). With
    /// <c>@classLabel true a b c</c> the label is a key whose values are the class names in declared order; with
    /// <c>@targetLabel true</c> it is a float; without either there is no label column. <c>?</c> is read as NaN when
    /// the header says <c>@missing true</c>. The file is read when this method is called.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="path">The <c>.ts</c> file.</param>
    /// <param name="featureColumnName">The name of the feature column. Default <c>"Features"</c>.</param>
    /// <param name="labelColumnName">The name of the label column. Default <c>"Label"</c>.</param>
    /// <returns>A view with one row per case.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed <c>.ts</c> file.</exception>
    public static IDataView LoadSequencesFromTsFile(this DataOperationsCatalog catalog, string path,
        string featureColumnName = DefaultColumnNames.Features, string labelColumnName = DefaultColumnNames.Label)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(path);
        DefaultColumnNames.Check(featureColumnName, labelColumnName);
        return new SequenceDataView(TsFileReader.Read(path, featureColumnName, labelColumnName));
    }

    /// <summary>
    /// Loads a UCR archive file: one univariate series per line, values separated by spaces or tabs, the class label
    /// first. Series may differ in length. The label is a key: a label that reads as a number is named by its shortest
    /// form (<c>1.0000000e+00</c> is class <c>"1"</c>), any other by its text. The file is read when this method is called.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="path">The UCR file.</param>
    /// <param name="classNames">
    /// The classes in key order. Null (the default) takes the labels of the file, sorted by value when all are numbers
    /// and in natural order otherwise. Pass the training file's classes when loading its test file, so both map the
    /// same class to the same key even when a class is absent from one of them.
    /// </param>
    /// <param name="featureColumnName">The name of the feature column. Default <c>"Features"</c>.</param>
    /// <param name="labelColumnName">The name of the label column. Default <c>"Label"</c>.</param>
    /// <returns>A view with one row per series.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A value is not a number, a line has no values, or a label is not in <paramref name="classNames"/>.</exception>
    public static IDataView LoadSequencesFromUcrFile(this DataOperationsCatalog catalog, string path,
        IReadOnlyList<string>? classNames = null, string featureColumnName = DefaultColumnNames.Features, string labelColumnName = DefaultColumnNames.Label)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(path);
        DefaultColumnNames.Check(featureColumnName, labelColumnName);
        return new SequenceDataView(UcrFileReader.Read(path, classNames, featureColumnName, labelColumnName));
    }

    /// <summary>
    /// Cuts <paramref name="text"/> into windows for a character-level model (next-character prediction, many-to-many).
    /// Both columns are variable-length key vectors over the vocabulary, whose characters are their key values: the
    /// features are the keys of a window's characters and the labels the keys of the characters one position later.
    /// Windows start every <see cref="CharacterSequenceOptions.Stride"/> characters and hold
    /// <see cref="CharacterSequenceOptions.SequenceLength"/> characters, except the last, which ends at the end of the
    /// text and may be shorter; so every character is used. Use <see cref="CharacterVocabulary.FromKeyValues"/> on a
    /// column of the result to get the vocabulary back.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="text">The text, at least 2 characters.</param>
    /// <param name="options">Window and vocabulary options; null for the defaults.</param>
    /// <returns>A view with one row per window.</returns>
    /// <exception cref="InvalidDataException">The text is shorter than 2 characters, or holds a character not in the given vocabulary.</exception>
    public static IDataView LoadCharacterSequences(this DataOperationsCatalog catalog, string text, CharacterSequenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(text);
        return LoadCharacters(text, "the text", options);
    }

    /// <summary>
    /// Reads the UTF-8 text file <paramref name="path"/> and cuts it into windows as
    /// <see cref="LoadCharacterSequences(DataOperationsCatalog, string, CharacterSequenceOptions?)"/> does.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="path">The text file.</param>
    /// <param name="options">Window and vocabulary options; null for the defaults.</param>
    /// <returns>A view with one row per window.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The text is shorter than 2 characters, or holds a character not in the given vocabulary.</exception>
    public static IDataView LoadCharacterSequencesFromTextFile(this DataOperationsCatalog catalog, string path, CharacterSequenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return LoadCharacters(File.ReadAllText(path), path, options);
    }

    private static SequenceDataView LoadCharacters(string text, string source, CharacterSequenceOptions? options)
    {
        options ??= new CharacterSequenceOptions();
        options.Validate();
        if (text.Length == 0) throw TooShort(0);
        CharacterVocabulary vocabulary = options.Vocabulary ?? CharacterVocabulary.FromText(text);
        uint[] keys = vocabulary.Encode(text, source);
        if (keys.Length < 2) throw TooShort(keys.Length);
        return new SequenceDataView(new CharacterWindowSource(keys, vocabulary, options));

        InvalidDataException TooShort(int count) => DataErrors.At(source, 1,
            $"the text has {count} character(s); at least 2 are needed for one (character, next character) pair.");
    }
}

namespace Bot.RegexEngine;

/// <summary>The matcher's instruction set: the opcodes of CPython's <c>_sre</c>, with absolute jump targets.</summary>
internal enum Op
{
    Failure,
    Success,
    Any,
    AnyAll,
    Assert,
    AssertNot,
    At,
    Branch,
    GroupRef,
    GroupRefIgnore,
    GroupRefUniIgnore,
    GroupRefExists,
    In,
    InIgnore,
    InUniIgnore,
    Jump,
    Literal,
    LiteralIgnore,
    LiteralUniIgnore,
    NotLiteral,
    NotLiteralIgnore,
    NotLiteralUniIgnore,
    Mark,
    MaxUntil,
    MinUntil,
    Repeat,
    RepeatOne,
    MinRepeatOne,
    PossessiveRepeat,
    PossessiveRepeatOne,
    AtomicGroup,
}

internal enum AtCode
{
    Beginning,
    BeginningLine,
    BeginningString,
    Boundary,
    NonBoundary,
    End,
    EndLine,
    EndString,
    UniBoundary,
    UniNonBoundary,
}

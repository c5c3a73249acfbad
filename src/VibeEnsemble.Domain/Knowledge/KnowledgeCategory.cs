namespace VibeEnsemble.Domain.Knowledge;

/// <summary>What kind of lesson an entry is.</summary>
public enum KnowledgeCategory
{
    Pattern,
    Practice,
    Solution,
    Guideline,
    Reference,
    Decision,
}

/// <summary>How one entry stands to another.</summary>
public enum KnowledgeRelationKind
{
    RelatesTo,
    Supersedes,
    Contradicts,
    DerivedFrom,
}

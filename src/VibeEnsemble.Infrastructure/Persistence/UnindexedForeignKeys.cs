using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>
/// Foreign keys that get no index. EF Core indexes every foreign key by convention, and a column's configuration
/// cannot take that index away again (the convention puts it back), so the convention itself skips the columns
/// marked here. Mark a column only when no query looks rows up by it and its principal rows are never deleted.
/// </summary>
public static class UnindexedForeignKeys
{
    private const string Annotation = "VibeEnsemble:NoForeignKeyIndex";

    /// <summary>Marks the column; call it before the relationship that uses it is configured.</summary>
    public static PropertyBuilder<T> HasNoForeignKeyIndex<T>(this PropertyBuilder<T> property) =>
        property.HasAnnotation(Annotation, true);

    /// <summary>Puts <see cref="Convention"/> in place of EF Core's own.</summary>
    public static void Use(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Conventions.Replace<ForeignKeyIndexConvention>(
            services => new Convention(services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));

    /// <summary>EF Core's foreign key index convention, minus the marked columns.</summary>
    private sealed class Convention(ProviderConventionSetBuilderDependencies dependencies)
        : ForeignKeyIndexConvention(dependencies)
    {
        protected override IConventionIndex? CreateIndex(
            IReadOnlyList<IConventionProperty> properties, bool unique, IConventionEntityTypeBuilder entityTypeBuilder) =>
            properties.Any(p => p.FindAnnotation(Annotation)?.Value is true)
                ? null
                : base.CreateIndex(properties, unique, entityTypeBuilder);
    }
}

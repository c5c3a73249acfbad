using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Messages;

namespace VibeEnsemble.Infrastructure.Persistence.Configurations;

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.ToTable("Messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.ToGroup).HasMaxLength(100);
        builder.Property(m => m.Sender).HasMaxLength(100);
        builder.Property(m => m.Subject).HasMaxLength(Message.MaxSubjectChars);
        builder.HasIndex(m => m.CreatedAt);
        builder.HasIndex(m => m.ThreadId);
        builder.HasIndex(m => new { m.RecipientKind, m.CreatedAt });
        builder.HasOne<Agent>().WithMany().HasForeignKey(m => m.FromAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Agent>().WithMany().HasForeignKey(m => m.ToAgentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(m => m.Deliveries).WithOne().HasForeignKey(d => d.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(m => m.Deliveries).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class MessageDeliveryConfiguration : IEntityTypeConfiguration<MessageDelivery>
{
    public void Configure(EntityTypeBuilder<MessageDelivery> builder)
    {
        builder.ToTable("MessageDeliveries");
        builder.HasKey(d => new { d.MessageId, d.RecipientAgentId });
        builder.HasIndex(d => new { d.RecipientAgentId, d.AcknowledgedAt });
        builder.HasIndex(d => new { d.RecipientAgentId, d.ReadAt });
        builder.HasOne<Agent>().WithMany().HasForeignKey(d => d.RecipientAgentId).OnDelete(DeleteBehavior.Cascade);
    }
}

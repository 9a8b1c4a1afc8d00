/** pt-BR texts of the training environment. */
const adminCommands = (groupDn: string) => {
  const groupName = /^CN=([^,]+)/i.exec(groupDn)?.[1] ?? 'SEI-Treinamento';
  return [
    'Um administrador do domínio deve executar uma vez:',
    `  Samba:      samba-tool domain passwordsettings pso create SEI-Treinamento-PSO 10 --complexity=off --min-pwd-length=6 --history-length=0 --min-pwd-age=0 --max-pwd-age=0`,
    `              samba-tool domain passwordsettings pso apply SEI-Treinamento-PSO "${groupName}"`,
    `  PowerShell: New-ADFineGrainedPasswordPolicy -Name SEI-Treinamento-PSO -Precedence 10 -ComplexityEnabled $false -MinPasswordLength 6 -PasswordHistoryCount 0 -MinPasswordAge 0 -MaxPasswordAge 0`,
    `              Add-ADFineGrainedPasswordPolicySubject SEI-Treinamento-PSO -Subjects "${groupName}"`,
  ].join('\n');
};

export const trainingMessages = {
  groupMissing: (dn: string) =>
    `O grupo de treinamento ${dn} não existe; as contas de treinamento não foram criadas.\n` +
    `Um administrador deve criar o grupo (segurança, global) e aplicar a ele o PSO de treinamento.\n${adminCommands(dn)}`,
  psoMissing: (dn: string) =>
    `Nenhuma política de senha (PSO) se aplica ao grupo ${dn}: as senhas "usuario01"… seriam recusadas. ` +
    `Nada foi criado no treinamento.\n${adminCommands(dn)}`,
  psoWrong: (pso: string, dn: string) =>
    `A política de senha ${pso} aplicada a ${dn} exige complexidade ou mais de 9 caracteres: as senhas "usuario01"… seriam recusadas. ` +
    `Nada foi criado no treinamento.\n${adminCommands(dn)}`,
} as const;
